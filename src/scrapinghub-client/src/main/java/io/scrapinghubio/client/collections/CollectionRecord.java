package io.scrapinghubio.client.collections;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.json.Json;
import java.nio.charset.StandardCharsets;

/**
 * One record of a collection scan: its {@code _key} and its JSON exactly as the service sent it
 * (including {@code _key}, as python-scrapinghub's {@code Collection.iter()} returns it).
 */
public record CollectionRecord(String key, byte[] jsonBytes) {
  /**
   * The record's JSON text, with {@code _key}.
   *
   * @return the text, decoded on each call
   */
  public String json() {
    return new String(jsonBytes, StandardCharsets.UTF_8);
  }

  /**
   * The record parsed (on each call).
   *
   * @return the record
   */
  public JsonNode node() {
    return Json.parse(jsonBytes);
  }

  @Override
  public String toString() {
    return json();
  }
}
