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
  /**
   * A request; {@code fp} must be non-empty.
   *
   * @param fp the fingerprint
   * @param qdata queue data, or null
   * @param fdata fingerprint data, or null
   * @param p the priority, or null
   */
  public FrontierRequest {
    Objects.requireNonNull(fp, "fp");
    if (fp.isEmpty()) {
      throw new IllegalArgumentException("frontier request fingerprint (fp) must be non-empty");
    }
  }

  /**
   * A request with only a fingerprint.
   *
   * @param fp the fingerprint, non-empty
   * @return the request
   */
  public static FrontierRequest of(String fp) {
    return new FrontierRequest(fp, null, null, null);
  }

  /**
   * A request from the JSON form {@link FrontierRequestEncoder} writes,
   * {@code {"fp": ..., "qdata": {...}, "fdata": {...}, "p": 1}}; every field but {@code fp} may be
   * absent or null.
   *
   * @param json the JSON object
   * @return the request
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

  /**
   * The same request with this queue data.
   *
   * @param q queue data, or null
   * @return a new request
   */
  public FrontierRequest withQdata(JsonNode q) {
    return new FrontierRequest(fp, q, fdata, p);
  }

  /**
   * The same request with this fingerprint data.
   *
   * @param f fingerprint data, or null
   * @return a new request
   */
  public FrontierRequest withFdata(JsonNode f) {
    return new FrontierRequest(fp, qdata, f, p);
  }

  /**
   * The same request with this priority.
   *
   * @param priority lower is served first
   * @return a new request
   */
  public FrontierRequest withPriority(int priority) {
    return new FrontierRequest(fp, qdata, fdata, priority);
  }
}
