package io.scrapinghubio.client.frontier;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A request to add to a frontier slot: its fingerprint {@code fp} (unique in the slot: a request
 * whose fingerprint the slot has seen is not queued again), optional queue data {@code qdata}
 * returned with it, fingerprint data {@code fdata} kept with the fingerprint, and priority
 * {@code p} (lower is served first; null = the service default).
 */
public record FrontierRequest(String fp, JsonNode qdata, JsonNode fdata, Integer p) {
  public FrontierRequest {
    Objects.requireNonNull(fp, "fp");
    if (fp.isEmpty()) {
      throw new IllegalArgumentException("frontier request fingerprint (fp) must be non-empty");
    }
  }

  public static FrontierRequest of(String fp) {
    return new FrontierRequest(fp, null, null, null);
  }

  public FrontierRequest withQdata(JsonNode q) {
    return new FrontierRequest(fp, q, fdata, p);
  }

  public FrontierRequest withFdata(JsonNode f) {
    return new FrontierRequest(fp, qdata, f, p);
  }

  public FrontierRequest withPriority(int priority) {
    return new FrontierRequest(fp, qdata, fdata, priority);
  }
}
