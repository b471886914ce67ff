package io.scrapinghubio.client.collections;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.errors.BadRequestException;
import io.scrapinghubio.client.json.Json;
import io.scrapinghubio.client.write.JsonEncoder;
import io.scrapinghubio.client.write.RawJson;

/**
 * Encodes a collection record and checks it has a non-empty string {@code _key} before anything is
 * sent: the service would answer the whole request with 400 "missing value for _key field".
 */
public final class CollectionEncoder extends JsonEncoder {
  public static final CollectionEncoder INSTANCE = new CollectionEncoder();

  @Override
  public byte[] encode(Object record) {
    JsonNode node = record instanceof RawJson ? Json.parse(((RawJson) record).json()) : Json.MAPPER.valueToTree(record);
    if (node == null || !node.isObject()) {
      throw new BadRequestException("a collection record must be a JSON object with a '_key', but was " + abbreviate(node), -1, null);
    }
    JsonNode key = node.get("_key");
    if (key == null || !key.isTextual() || key.asText().isEmpty()) {
      throw new BadRequestException("collection record has no '_key' (a non-empty string is required): " + abbreviate(node), -1, null);
    }
    return super.encode(record instanceof RawJson ? record : node);
  }

  @Override
  public String describe(Object record, long position) {
    try {
      JsonNode n = record instanceof RawJson ? Json.parse(((RawJson) record).json()) : Json.MAPPER.valueToTree(record);
      return "record with _key '" + n.path("_key").asText() + "'";
    } catch (RuntimeException e) {
      return "record #" + position;
    }
  }

  static String keyOf(Object record) {
    JsonNode n = record instanceof RawJson ? Json.parse(((RawJson) record).json()) : Json.MAPPER.valueToTree(record);
    return n.path("_key").asText();
  }

  private static String abbreviate(JsonNode n) {
    String s = String.valueOf(n);
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
