package io.scrapinghubio.client.write;

import io.scrapinghubio.client.core.Internal;
import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.http.CallOptions;
import io.scrapinghubio.client.http.HttpResult;
import io.scrapinghubio.client.http.HttpTransport;
import io.scrapinghubio.client.json.JsonLines;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import okhttp3.HttpUrl;

/**
 * Uploads one prepared {@link Batch} synchronously: {@code POST <target>?start=<offset>} with
 * {@code content-encoding: gzip|identity}. Stateless and thread-safe, so a Beam DoFn can call it
 * from several threads with its own in-flight limit; {@link BatchWriter} is built on it.
 *
 * <p>Every upload is marked idempotent and therefore retried per the client's {@code RetryPolicy}
 * on 408/429/5xx, resets and truncated answers: a batch with {@code start} lands on the same
 * positions when re-sent, and frontier adds are de-duplicated by fingerprint on the server. 400
 * and 413 are not retried (they cannot succeed) and surface as typed errors.
 */
public final class BatchUploader {
  private final HttpTransport transport;
  private final UploadTarget target;

  /**
   * For the client's resource classes, which define the targets; callers get uploaders from them:
   * {@code Collection.uploader()}, {@code Collection.deleteUploader()}, {@code Frontier.slotUploader(slot)},
   * {@code Job.uploader(type)}.
   *
   * @param transport the client's transport
   * @param target where batches go
   */
  @Internal
  public BatchUploader(HttpTransport transport, UploadTarget target) {
    this.transport = transport;
    this.target = target;
  }

  /**
   * Where this uploader sends batches.
   *
   * @return the target
   */
  public UploadTarget target() {
    return target;
  }

  /**
   * Uploads one batch, retried by the client's policy.
   *
   * @param batch the batch
   * @return what the service acknowledged
   * @throws io.scrapinghubio.client.errors.ScrapinghubException the typed error of the last
   *     attempt when the upload did not succeed
   */
  public UploadResult upload(Batch batch) {
    if (batch.size() == 0) {
      return new UploadResult(batch.start(), 0, 0, 0, 0);
    }
    byte[] body = batch.body();
    byte[] wire = target.gzip() ? gzip(body) : body;
    HttpUrl.Builder url = target.url().newBuilder();
    if (target.sendStart()) {
      url.addQueryParameter("start", Long.toString(batch.start()));
    }
    HttpResult res = transport.post(url.build(), wire, target.gzip() ? "gzip" : "identity", CallOptions.IDEMPOTENT);
    long newcount = 0;
    if (target.newcount()) {
      List<JsonNode> docs = JsonLines.parse(res.body());
      newcount = docs.isEmpty() ? 0 : docs.get(0).path("newcount").asLong(0);
    }
    return new UploadResult(batch.start(), batch.size(), body.length, wire.length, newcount, res.resentAfterLostAnswer());
  }

  static byte[] gzip(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, body.length / 4));
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192)) {
      gz.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory streams do not fail
    }
    return out.toByteArray();
  }
}
