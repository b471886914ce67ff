package io.scrapinghubio.beam.write;

import io.scrapinghubio.beam.failure.ScrapinghubFailure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.collections.CollectionEncoder;
import io.scrapinghubio.client.collections.CollectionKeyEncoder;
import io.scrapinghubio.client.frontier.FrontierRequest;
import io.scrapinghubio.client.frontier.FrontierRequestEncoder;
import io.scrapinghubio.client.json.Json;
import io.scrapinghubio.client.write.JsonEncoder;
import io.scrapinghubio.client.write.RawJson;
import io.scrapinghubio.client.write.RecordRejectedException;
import io.scrapinghubio.client.write.RecordRejectedException.Reason;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;

/**
 * Turns an input element into the JSON line a target stores and its destination, refusing
 * elements the target can never accept with an {@link InvalidRecordException} (so they go to the
 * failure output instead of taking a batch down). The lines come from the client's encoders
 * ({@link CollectionEncoder}, {@link CollectionKeyEncoder}, {@link FrontierRequestEncoder}), which
 * know what the service stores; this adapts the transforms' input types to them and maps their
 * refusals to {@link ScrapinghubFailure.Kind}s. The 1 MiB size check is made by the caller, on the line's
 * UTF-8 bytes.
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
          throw new InvalidRecordException(ScrapinghubFailure.Kind.INVALID_RECORD, "null element", "null");
        }
        Object record = jsonText(json);
        try {
          return new EncodedRecord("", CollectionEncoder.INSTANCE.encode(record));
        } catch (RecordRejectedException e) {
          if (!checks && e.reason() == Reason.MISSING_KEY) {
            return new EncodedRecord("", JsonEncoder.INSTANCE.encode(record)); // sent as is, for the service to refuse
          }
          throw refused(e, json);
        }
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
          throw new InvalidRecordException(ScrapinghubFailure.Kind.INVALID_RECORD, "null element", "null");
        }
        if (kv.getValue() == null) {
          throw new InvalidRecordException(ScrapinghubFailure.Kind.INVALID_RECORD,
              "the value of key '" + kv.getKey() + "' must be a JSON object, but was null", String.valueOf(kv));
        }
        Object value = jsonText(kv.getValue());
        try {
          return new EncodedRecord("", CollectionEncoder.INSTANCE.encodeKeyed(kv.getKey(), value));
        } catch (RecordRejectedException e) {
          if (!checks && e.reason() == Reason.MISSING_KEY) {
            return new EncodedRecord("", JsonEncoder.INSTANCE.encode(value)); // the value alone, for the service to refuse
          }
          throw refused(e, String.valueOf(kv));
        }
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
          throw new InvalidRecordException(ScrapinghubFailure.Kind.INVALID_RECORD, "null element", "null");
        }
        try {
          return new EncodedRecord("", CollectionEncoder.INSTANCE.encodeKeyed(keyFn.apply(element), element));
        } catch (RecordRejectedException e) {
          if (e.reason() != Reason.MISSING_KEY) {
            throw refused(e, String.valueOf(element));
          }
          if (!checks) {
            return new EncodedRecord("", JsonEncoder.INSTANCE.encode(element)); // the object alone, for the service to refuse
          }
          throw refused(e, Json.write(element)); // it bound to a JSON object: keep that for the failure output
        }
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
          throw new InvalidRecordException(ScrapinghubFailure.Kind.INVALID_RECORD, "null element", "null");
        }
        FrontierRequest r;
        try {
          r = toRequest.apply(element);
        } catch (NullPointerException | IllegalArgumentException e) {
          // FrontierRequest refuses a null or empty fp
          throw new InvalidRecordException(ScrapinghubFailure.Kind.MISSING_KEY,
              "no request fingerprint (fp): " + e.getMessage(), String.valueOf(element));
        }
        if (r == null) {
          throw new InvalidRecordException(ScrapinghubFailure.Kind.INVALID_RECORD, "the request function returned null", String.valueOf(element));
        }
        byte[] line = FrontierRequestEncoder.INSTANCE.encode(r);
        String slot = slotFn.apply(r);
        if (slot == null || slot.isEmpty() || slot.contains("/")) {
          throw new InvalidRecordException(ScrapinghubFailure.Kind.INVALID_RECORD,
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

  /** {@code {"fp": ..., "qdata": ..., "fdata": ..., "p": ...}} JSON text to a request. */
  static FrontierRequest parseRequest(String json) {
    return FrontierRequest.fromJson(parse(json));
  }

  // ---- delete ----

  static RecordFormat<String> deleteKeys() {
    return new RecordFormat<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public EncodedRecord encode(String key, boolean checks) {
        try {
          return new EncodedRecord("", CollectionKeyEncoder.INSTANCE.encode(key));
        } catch (RecordRejectedException e) {
          throw refused(e, String.valueOf(key));
        }
      }

      @Override
      public String describe() {
        return "keys";
      }
    };
  }

  // ---- helpers ----

  /**
   * JSON text as the client's encoders take it: single-line text passes through untouched (numbers
   * keep their spelling); text with line breaks is parsed, to be re-encoded on one line.
   */
  private static Object jsonText(String json) {
    boolean oneLine = json.indexOf('\n') < 0 && json.indexOf('\r') < 0;
    return oneLine ? RawJson.of(json) : parse(json);
  }

  /** The client's refusal as the failure output reports it. */
  private static InvalidRecordException refused(RecordRejectedException e, String record) {
    ScrapinghubFailure.Kind kind = e.reason() == Reason.MISSING_KEY ? ScrapinghubFailure.Kind.MISSING_KEY : ScrapinghubFailure.Kind.INVALID_RECORD;
    return new InvalidRecordException(kind, e.getMessage(), record);
  }

  private static JsonNode parse(String json) {
    try {
      JsonNode n = Json.MAPPER.readTree(json);
      if (n == null || n.isMissingNode()) {
        throw new InvalidRecordException(ScrapinghubFailure.Kind.INVALID_RECORD, "empty JSON text", json);
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new InvalidRecordException(ScrapinghubFailure.Kind.INVALID_RECORD, "not valid JSON: " + e.getOriginalMessage(), json);
    }
  }

  static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
