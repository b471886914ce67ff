package io.scrapinghubio.client.write;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A record already encoded as one JSON object, passed through as is (no parse, no re-encode):
 * what a pipeline that reads JSON lines and writes them elsewhere wants.
 */
public record RawJson(String json) {
  /**
   * A record; it must be one line.
   *
   * @param json one JSON object on one line
   */
  public RawJson {
    Objects.requireNonNull(json, "json");
    if (json.indexOf('\n') >= 0 || json.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("RawJson must be a single line of JSON (a line break would split it into two records)");
    }
  }

  /**
   * A record of this JSON.
   *
   * @param json one JSON object on one line
   * @return the record
   */
  public static RawJson of(String json) {
    return new RawJson(json);
  }

  byte[] bytes() {
    return json.getBytes(StandardCharsets.UTF_8);
  }
}
