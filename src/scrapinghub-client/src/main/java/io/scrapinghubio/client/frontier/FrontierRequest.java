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

  /**
   * A request from the JSON form {@link FrontierRequestEncoder} writes,
   * {@code {"fp": ..., "qdata": {...}, "fdata": {...}, "p": 1}}; every field but {@code fp} may be
   * absent or null.
   *
   * @throws IllegalArgumentException {@code json} is not an object with a non-empty string {@code fp}
   */
  public static FrontierRequest fromJson(JsonNode json) {
    JsonNode fp = json == null ? null : json.get("fp");
    if (fp == null || !json.isObject() || !fp.isTextual() || fp.asText().isEmpty()) {
      String text = String.valueOf(json);
      throw new IllegalArgumentException("a frontier request needs a non-empty string fp: "
          + (text.length() > 200 ? text.substring(0, 200) + "..." : text));
    }
    JsonNode p = json.get("p");
    return new FrontierRequest(fp.asText(), presentOrNull(json.get("qdata")), presentOrNull(json.get("fdata")),
        p == null || p.isNull() ? null : p.asInt());
  }

  private static JsonNode presentOrNull(JsonNode n) {
    return n == null || n.isNull() ? null : n;
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
