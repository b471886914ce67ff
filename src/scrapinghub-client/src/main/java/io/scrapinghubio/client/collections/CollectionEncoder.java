package io.scrapinghubio.client.collections;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scrapinghubio.client.json.Json;
import io.scrapinghubio.client.write.JsonEncoder;
import io.scrapinghubio.client.write.RawJson;
import io.scrapinghubio.client.write.RecordRejectedException;
import io.scrapinghubio.client.write.RecordRejectedException.Reason;
import java.util.Iterator;
import java.util.Map;

/**
 * Encodes a collection record: a JSON object holding its key as a non-empty string {@code _key}.
 * Records are checked before anything is sent, since the service would answer the whole request
 * with 400 "missing value for _key field"; a refused record raises
 * {@link RecordRejectedException} with the reason ({@code NOT_JSON}, {@code NOT_AN_OBJECT},
 * {@code MISSING_KEY}), so callers can sort refused records without parsing messages.
 */
public final class CollectionEncoder extends JsonEncoder {
  /** The encoder, stateless and shared. */
  public static final CollectionEncoder INSTANCE = new CollectionEncoder();

  /** The field a collection record keeps its key in. */
  private static final String KEY = "_key";

  /**
   * A record that holds its own {@code _key}: a {@link RawJson} object (sent as given once checked,
   * so numbers keep their spelling), a {@code Map}, a {@code JsonNode} or a POJO.
   */
  @Override
  public byte[] encode(Object record) {
    JsonNode node = object(tree(record));
    JsonNode key = node.get(KEY);
    if (key == null || !key.isTextual() || key.asText().isEmpty()) {
      throw new RecordRejectedException(Reason.MISSING_KEY,
          "collection record has no '_key' (a non-empty string is required): " + abbreviate(node), null);
    }
    return super.encode(record instanceof RawJson ? record : node);
  }

  /**
   * The record {@code value} (a JSON object in any form {@link #encode(Object)} takes) stored under
   * {@code key}: {@code {"_key": key, ...the other fields of value}}. A {@code _key} inside
   * {@code value} is replaced by {@code key}.
   *
   * @param key the record's key
   * @param value the record's other fields
   * @return the UTF-8 JSON line
   */
  public byte[] encodeKeyed(String key, Object value) {
    ObjectNode node = object(tree(value));
    if (key == null || key.isEmpty()) {
      throw new RecordRejectedException(Reason.MISSING_KEY,
          "collection record has no key (a non-empty string is required): " + abbreviate(node), null);
    }
    ObjectNode keyed = Json.object();
    keyed.put(KEY, key);
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!field.getKey().equals(KEY)) {
        keyed.set(field.getKey(), field.getValue());
      }
    }
    return super.encode(keyed);
  }

  @Override
  public String describe(Object record, long position) {
    try {
      return "record with _key '" + tree(record).path(KEY).asText() + "'";
    } catch (RuntimeException e) {
      return "record #" + position;
    }
  }

  private static JsonNode tree(Object record) {
    try {
      JsonNode node = record instanceof RawJson ? Json.MAPPER.readTree(((RawJson) record).json()) : Json.MAPPER.valueToTree(record);
      if (node != null && node.isMissingNode()) {
        throw new RecordRejectedException(Reason.NOT_JSON, "empty JSON text", null);
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new RecordRejectedException(Reason.NOT_JSON, "not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new RecordRejectedException(Reason.NOT_JSON,
          "cannot bind " + record.getClass().getName() + " to JSON: " + e.getMessage(), e);
    }
  }

  private static ObjectNode object(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new RecordRejectedException(Reason.NOT_AN_OBJECT,
          "a collection record must be a JSON object with a '_key', but was " + abbreviate(node), null);
    }
    return (ObjectNode) node;
  }

  private static String abbreviate(JsonNode n) {
    String s = String.valueOf(n);
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
