package io.scrapinghubio.emulator.store;

import io.scrapinghubio.emulator.json.Json;
import io.scrapinghubio.emulator.json.Msgpack;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a posted record into the stored form, the way the real service normalises it.
 *
 * <p>Observed in the recordings: items keep their field order; log lines come back as
 * {@code time, level, message}; request records come back as
 * {@code time, parent, duration, status, method, rs, url, fp} with null fields dropped. The
 * {@code /stats} figures follow the recordings too: items count every field and report the msgpack
 * size of the record; logs count per level and report the msgpack size of the message; requests
 * count every field but {@code time}.
 */
public final class RecordCodec {

  /** The service limit for a single value (413 above it). */
  public static final int MAX_RECORD_BYTES = 1024 * 1024;

  private static final String[] LOG_ORDER = {"time", "level", "message"};
  private static final String[] REQUEST_ORDER = {
    "time", "parent", "duration", "status", "method", "rs", "url", "fp"
  };

  private RecordCodec() {}

  /** Raised for a record the service would refuse; the message is the plain-text 400 body. */
  public static final class BadRecordException extends RuntimeException {
    /** See {@link #status()}. */
    private final int status;

    /**
     * A refusal.
     *
     * @param status the HTTP status to answer, e.g. 400 or 413
     * @param message the plain-text body
     */
    public BadRecordException(int status, String message) {
      super(message);
      this.status = status;
    }

    /**
     * The HTTP status the refusal answers with.
     *
     * @return the status
     */
    public int status() {
      return status;
    }
  }

  /**
   * Checks and normalises a record as the service stores it (field order, meta fields).
   *
   * @param type which record log it goes to
   * @param value the record, a Map (or a List for samples)
   * @return the stored form
   * @throws BadRecordException the service would refuse the record
   */
  public static EncodedRecord encode(RecordType type, Object value) {
    switch (type) {
      case ITEMS:
        return items(asMap(type, value));
      case LOGS:
        return logs(asMap(type, value));
      case REQUESTS:
        return requests(asMap(type, value));
      default:
        return new EncodedRecord(checked(Json.compactBytes(value)), Msgpack.sizeOf(value), new String[0]);
    }
  }

  private static EncodedRecord items(Map<String, Object> m) {
    return new EncodedRecord(
        checked(Json.compactBytes(m)), Msgpack.sizeOf(m), m.keySet().toArray(new String[0]));
  }

  private static EncodedRecord logs(Map<String, Object> m) {
    Map<String, Object> ordered = reorder(m, LOG_ORDER, false);
    Object level = ordered.get("level");
    Object message = ordered.get("message");
    String[] keys = level == null ? new String[0] : new String[] {String.valueOf(level)};
    long bytes = message == null ? 0 : Msgpack.sizeOf(message);
    return new EncodedRecord(checked(Json.compactBytes(ordered)), bytes, keys);
  }

  private static EncodedRecord requests(Map<String, Object> m) {
    Map<String, Object> ordered = reorder(m, REQUEST_ORDER, true);
    List<String> keys = new ArrayList<>();
    Map<String, Object> sized = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : ordered.entrySet()) {
      if (!e.getKey().equals("time")) {
        keys.add(e.getKey());
        sized.put(e.getKey(), e.getValue());
      }
    }
    return new EncodedRecord(
        checked(Json.compactBytes(ordered)), Msgpack.sizeOf(sized), keys.toArray(new String[0]));
  }

  private static Map<String, Object> reorder(Map<String, Object> m, String[] order, boolean dropNulls) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String k : order) {
      if (m.containsKey(k) && !(dropNulls && m.get(k) == null)) {
        out.put(k, m.get(k));
      }
    }
    for (Map.Entry<String, Object> e : m.entrySet()) {
      if (!out.containsKey(e.getKey()) && !(dropNulls && e.getValue() == null)) {
        out.put(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(RecordType type, Object value) {
    if (!(value instanceof Map)) {
      throw new BadRecordException(400, "Error parsing data, " + type.path() + " must be JSON objects");
    }
    return (Map<String, Object>) value;
  }

  private static byte[] checked(byte[] json) {
    if (json.length > MAX_RECORD_BYTES) {
      throw new BadRecordException(
          413, "Error parsing data, Serialized value too large - max " + MAX_RECORD_BYTES + " bytes");
    }
    return json;
  }
}
