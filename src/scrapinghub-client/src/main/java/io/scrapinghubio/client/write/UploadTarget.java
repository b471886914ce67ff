package io.scrapinghubio.client.write;

import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * Where and how a writer uploads: the endpoint, the body encoding the official client uses for
 * that target, whether {@code ?start=<offset>} is sent, and whether the answer carries
 * {@code newcount} (frontier slots).
 *
 * @param url endpoint without {@code start}
 * @param gzip gzip the body ({@code content-encoding: gzip}) instead of {@code identity}
 * @param sendStart add {@code ?start=<offset of the batch's first record>}
 * @param newcount parse {@code {"newcount": N}} from the answer
 * @param name short label for messages, e.g. {@code items 2222222/1/7}
 */
public record UploadTarget(HttpUrl url, boolean gzip, boolean sendStart, boolean newcount, String name) {
  /**
   * A target; the URL and name are required.
   *
   * @param url endpoint without {@code start}
   * @param gzip gzip the body
   * @param sendStart add {@code ?start=}
   * @param newcount parse {@code newcount} from the answer
   * @param name short label for messages
   */
  public UploadTarget {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(name, "name");
  }
}
