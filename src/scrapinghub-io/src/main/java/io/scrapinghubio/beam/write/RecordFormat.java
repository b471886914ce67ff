package io.scrapinghubio.beam.write;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scrapinghubio.client.frontier.FrontierRequest;
import io.scrapinghubio.client.json.Json;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;

/**
 * Turns an input element into the JSON line a target stores and its destination, refusing
 * elements the target can never accept with an {@link InvalidRecordException} (so they go to the
 * failure output instead of taking a batch down). The 1 MiB size check is made by the caller, on
 * the line's UTF-8 bytes.
 */
interface RecordFormat<T> extends Serializable {
  /**
   * @param checks false only in tests that need the server to refuse a record (then a missing key
   *     is sent as is)
   */
  EncodedRecord encode(T element, boolean checks);

  /** For the display data. */
  String describe();

  // ---- collections ----

  /** JSON text of an object holding {@code _key}. */
  static RecordFormat<String> collectionJson() {
    return new RecordFormat<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public EncodedRecord encode(String json, boolean checks) {
        if (json == null) {
          throw new InvalidRecordException(WriteErrorKind.INVALID_RECORD, "null element", "null");
        }
        JsonNode n = parse(json);
        if (!n.isObject()) {
          throw new InvalidRecordException(WriteErrorKind.INVALID_RECORD,
              "a collection record must be a JSON object, but was a " + n.getNodeType(), json);
        }
        if (checks) {
          requireKey(n.get("_key"), json);
        }
        // Pass single-line text through untouched (numbers keep their spelling); re-encode otherwise.
        boolean oneLine = json.indexOf('\n') < 0 && json.indexOf('\r') < 0;
        return new EncodedRecord("", oneLine ? json.getBytes(StandardCharsets.UTF_8) : bytes(n));
      }

      @Override
      public String describe() {
        return "JSON objects with _key";
      }
    };
  }

  /** {@code KV(key, JSON object text)}: the key becomes {@code _key}. */
  static RecordFormat<KV<String, String>> collectionKvs() {
    return new RecordFormat<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public EncodedRecord encode(KV<String, String> kv, boolean checks) {
        if (kv == null) {
          throw new InvalidRecordException(WriteErrorKind.INVALID_RECORD, "null element", "null");
        }
        String value = kv.getValue();
        JsonNode v = value == null ? null : parse(value);
        if (v == null || !v.isObject()) {
          throw new InvalidRecordException(WriteErrorKind.INVALID_RECORD,
              "the value of key '" + kv.getKey() + "' must be a JSON object, but was " + (v == null ? "null" : "a " + v.getNodeType()),
              String.valueOf(kv));
        }
        return new EncodedRecord("", keyed(kv.getKey(), (ObjectNode) v, checks, String.valueOf(kv)));
      }

      @Override
      public String describe() {
        return "KV(key, JSON object)";
      }
    };
  }

  /** Any Jackson-serialisable object with a key function. */
  static <T> RecordFormat<T> collectionObjects(SerializableFunction<T, String> keyFn) {
    return new RecordFormat<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public EncodedRecord encode(T element, boolean checks) {
        if (element == null) {
          throw new InvalidRecordException(WriteErrorKind.INVALID_RECORD, "null element", "null");
        }
        JsonNode n;
        try {
          n = Json.MAPPER.valueToTree(element);
        } catch (IllegalArgumentException e) {
          throw new InvalidRecordException(WriteErrorKind.INVALID_RECORD,
              "cannot bind " + element.getClass().getName() + " to JSON: " + e.getMessage(), String.valueOf(element));
        }
        if (!(n instanceof ObjectNode)) {
          throw new InvalidRecordException(WriteErrorKind.INVALID_RECORD,
              element.getClass().getName() + " binds to a JSON " + n.getNodeType() + ", not an object", String.valueOf(element));
        }
        return new EncodedRecord("", keyed(keyFn.apply(element), (ObjectNode) n, checks, n.toString()));
      }

      @Override
      public String describe() {
        return "objects bound with Jackson, key from " + keyFn.getClass().getName();
      }
    };
  }

  // ---- frontier ----

  static <T> RecordFormat<T> frontier(SerializableFunction<T, FrontierRequest> toRequest,
      SerializableFunction<FrontierRequest, String> slotFn) {
    return new RecordFormat<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public EncodedRecord encode(T element, boolean checks) {
        if (element == null) {
          throw new InvalidRecordException(WriteErrorKind.INVALID_RECORD, "null element", "null");
        }
        FrontierRequest r;
        try {
          r = toRequest.apply(element);
        } catch (NullPointerException | IllegalArgumentException e) {
          // FrontierRequest refuses a null or empty fp
          throw new InvalidRecordException(WriteErrorKind.MISSING_KEY,
              "no request fingerprint (fp): " + e.getMessage(), String.valueOf(element));
        }
        if (r == null) {
          throw new InvalidRecordException(WriteErrorKind.INVALID_RECORD, "the request function returned null", String.valueOf(element));
        }
        byte[] line = requestLine(r);
        String slot = slotFn.apply(r);
        if (slot == null || slot.isEmpty() || slot.contains("/")) {
          throw new InvalidRecordException(WriteErrorKind.INVALID_RECORD,
              "the slot function gave '" + slot + "' for fp '" + r.fp() + "': slot names must be non-empty and contain no '/'",
              new String(line, StandardCharsets.UTF_8));
        }
        return new EncodedRecord(slot, line);
      }

      @Override
      public String describe() {
        return "requests from " + toRequest.getClass().getName() + ", slots from " + slotFn;
      }
    };
  }

  /** {@code {"fp":..., "qdata":..., "fdata":..., "p":...}} with absent fields left out, as the official client sends. */
  static byte[] requestLine(FrontierRequest r) {
    ObjectNode n = Json.object();
    n.put("fp", r.fp());
    if (r.qdata() != null) {
      n.set("qdata", r.qdata());
    }
    if (r.fdata() != null) {
      n.set("fdata", r.fdata());
    }
    if (r.p() != null) {
      n.put("p", r.p());
    }
    return bytes(n);
  }

  /** {@code {"fp": ..., "qdata": ..., "fdata": ..., "p": ...}} JSON text to a request. */
  static FrontierRequest parseRequest(String json) {
    JsonNode n = parse(json);
    JsonNode fp = n.get("fp");
    if (!n.isObject() || fp == null || !fp.isTextual() || fp.asText().isEmpty()) {
      throw new IllegalArgumentException("a frontier request needs a non-empty string fp: " + abbreviate(json));
    }
    JsonNode p = n.get("p");
    return new FrontierRequest(fp.asText(), nullIfAbsent(n.get("qdata")), nullIfAbsent(n.get("fdata")),
        p == null || p.isNull() ? null : p.asInt());
  }

  // ---- delete ----

  static RecordFormat<String> deleteKeys() {
    return new RecordFormat<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public EncodedRecord encode(String key, boolean checks) {
        if (key == null || key.isEmpty()) {
          throw new InvalidRecordException(WriteErrorKind.MISSING_KEY, "cannot delete an empty or null key", String.valueOf(key));
        }
        return new EncodedRecord("", bytes(Json.MAPPER.getNodeFactory().textNode(key)));
      }

      @Override
      public String describe() {
        return "keys";
      }
    };
  }

  // ---- helpers ----

  private static JsonNode nullIfAbsent(JsonNode n) {
    return n == null || n.isNull() ? null : n;
  }

  private static byte[] keyed(String key, ObjectNode value, boolean checks, String record) {
    if (key == null || key.isEmpty()) {
      if (checks) {
        throw new InvalidRecordException(WriteErrorKind.MISSING_KEY, "collection record has no key (a non-empty string is required)", record);
      }
      value.remove("_key");
      return bytes(value);
    }
    ObjectNode out = Json.object();
    out.put("_key", key);
    value.fields().forEachRemaining(e -> {
      if (!e.getKey().equals("_key")) {
        out.set(e.getKey(), e.getValue());
      }
    });
    return bytes(out);
  }

  private static void requireKey(JsonNode key, String record) {
    if (key == null || !key.isTextual() || key.asText().isEmpty()) {
      throw new InvalidRecordException(WriteErrorKind.MISSING_KEY,
          "collection record has no '_key' (a non-empty string is required)", record);
    }
  }

  private static JsonNode parse(String json) {
    try {
      JsonNode n = Json.MAPPER.readTree(json);
      if (n == null || n.isMissingNode()) {
        throw new InvalidRecordException(WriteErrorKind.INVALID_RECORD, "empty JSON text", json);
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new InvalidRecordException(WriteErrorKind.INVALID_RECORD, "not valid JSON: " + e.getOriginalMessage(), json);
    }
  }

  private static byte[] bytes(JsonNode n) {
    try {
      return Json.MAPPER.writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw new InvalidRecordException(WriteErrorKind.INVALID_RECORD, "cannot encode: " + e.getOriginalMessage(), String.valueOf(n));
    }
  }

  static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
