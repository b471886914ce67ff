package io.scrapinghubio.client.read;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scrapinghubio.client.core.JobKey;
import io.scrapinghubio.client.errors.ScrapinghubException;
import io.scrapinghubio.client.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a JSON-lines page into records and reads each record's index from its {@code _key},
 * working on bytes: no JSON parse on the hot path. The service appends {@code _key} as the last
 * field ({@code ...,"_key":"P/S/J/N"}}), so reading and, unless asked to keep it, removing it is a
 * scan of the line's tail; logs and requests carry it first ({@code {"_key":"P/S/J/N",...}}), which is
 * a scan of the line's head. A record whose {@code _key} sits elsewhere falls back to Jackson.
 */
public final class JsonLinesDecoder {
  private static final byte[] KEY_FIELD = "\"_key\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] KEY_FIRST = "{\"_key\":\"".getBytes(StandardCharsets.US_ASCII);

  private JsonLinesDecoder() {}

  /**
   * Decodes a whole JSON-lines body into records.
   *
   * @param body the body
   * @param job the job read
   * @param withKeys whether the lines carry {@code _key}
   * @param keepKey whether the records keep it
   * @param firstIndex index of the first line when records carry no {@code _key} (samples)
   * @return the records, in order
   */
  public static List<JobRecord> decode(byte[] body, JobKey job, boolean withKeys, boolean keepKey, long firstIndex) {
    return decode(body, job, withKeys, keepKey, firstIndex, false);
  }

  /**
   * As {@link #decode(byte[], JobKey, boolean, boolean, long)}; with {@code withTs} each keyed
   * record's {@code _ts} meta field (requested with {@code meta=_ts}) becomes
   * {@link JobRecord#timestamp()} and is removed from the JSON, so it never reaches the caller's item.
   *
   * @param body the body
   * @param job the job read
   * @param withKeys whether the lines carry {@code _key}
   * @param keepKey whether the records keep it
   * @param firstIndex index of the first line when records carry no {@code _key}
   * @param withTs whether the lines carry {@code _ts}
   * @return the records, in order
   */
  public static List<JobRecord> decode(byte[] body, JobKey job, boolean withKeys, boolean keepKey, long firstIndex,
      boolean withTs) {
    return decode(body, 0, body.length, job, withKeys, keepKey, firstIndex, withTs);
  }

  /**
   * The complete lines in {@code body[from, to)}: what a streamed read decodes as bytes arrive,
   * without first copying them out of its receive buffer.
   *
   * @param body the receive buffer
   * @param from where the lines start
   * @param to where they end
   * @param job the job read
   * @param withKeys whether the lines carry {@code _key}
   * @param keepKey whether the records keep it
   * @param firstIndex index of the first line when records carry no {@code _key}
   * @param withTs whether the lines carry {@code _ts}
   * @return the records, in order
   */
  public static List<JobRecord> decode(byte[] body, int from, int to, JobKey job, boolean withKeys, boolean keepKey,
      long firstIndex, boolean withTs) {
    List<JobRecord> out = new ArrayList<>();
    int start = from;
    long position = firstIndex;
    while (start < to) {
      int end = indexOf(body, (byte) '\n', start, to);
      if (end < 0) {
        end = to; // callers have already rejected bodies without a final newline
      }
      int lineEnd = end;
      if (lineEnd > start && body[lineEnd - 1] == '\r') {
        lineEnd--;
      }
      if (lineEnd > start) {
        if (withKeys && withTs) {
          out.add(keyedWithTs(body, start, lineEnd, job, keepKey));
        } else {
          out.add(withKeys ? keyed(body, start, lineEnd, job, keepKey, JobRecord.NO_TIMESTAMP) : new JobRecord(job, position, Arrays.copyOfRange(body, start, lineEnd)));
        }
        position++;
      }
      start = end + 1;
    }
    return out;
  }

  private static final byte[] TS_FIELD = "\"_ts\":".getBytes(StandardCharsets.US_ASCII);

  /**
   * A line with {@code _key} and {@code _ts}: the service writes {@code _ts} right after
   * {@code _key}, so it is either the line's last field (items: {@code ...,"_key":"P/S/J/N","_ts":T}})
   * or the second one (logs, requests: {@code {"_key":"P/S/J/N","_ts":T,...}}). Cut it out and
   * decode the rest as a keyed line; anything else goes through Jackson.
   */
  private static JobRecord keyedWithTs(byte[] b, int start, int end, JobKey job, boolean keepKey) {
    int ts = -1;
    if (startsWith(b, start, end, KEY_FIRST)) {
      int keyEnd = indexOf(b, (byte) '"', start + KEY_FIRST.length);
      if (keyEnd > 0 && keyEnd + 1 < end && b[keyEnd + 1] == ',' && startsWith(b, keyEnd + 2, end, TS_FIELD)) {
        ts = keyEnd + 2;
      }
    } else {
      int k = lastIndexOf(b, TS_FIELD, start, end);
      if (k > start && b[k - 1] == ',') {
        ts = k;
      }
    }
    if (ts < 0) {
      return viaJacksonWithTs(b, start, end, job, keepKey);
    }
    int digits = ts + TS_FIELD.length;
    int d = digits;
    long value = 0;
    while (d < end && b[d] >= '0' && b[d] <= '9') {
      value = value * 10 + (b[d] - '0');
      d++;
    }
    if (d == digits || d >= end || (b[d] != ',' && b[d] != '}')) {
      return viaJacksonWithTs(b, start, end, job, keepKey);
    }
    // Remove the field with one adjacent comma: the one before it when it is last, else the one after.
    byte[] line;
    if (b[d] == '}') {
      line = new byte[(ts - 1 - start) + (end - d)];
      System.arraycopy(b, start, line, 0, ts - 1 - start);
      System.arraycopy(b, d, line, ts - 1 - start, end - d);
    } else {
      line = new byte[(ts - start) + (end - d - 1)];
      System.arraycopy(b, start, line, 0, ts - start);
      System.arraycopy(b, d + 1, line, ts - start, end - d - 1);
    }
    return keyed(line, 0, line.length, job, keepKey, value);
  }

  private static JobRecord viaJacksonWithTs(byte[] b, int start, int end, JobKey job, boolean keepKey) {
    ObjectNode node;
    try {
      node = (ObjectNode) Json.MAPPER.readTree(b, start, end - start);
    } catch (IOException | ClassCastException e) {
      throw new ScrapinghubException("record of job " + job + " is not a JSON object: "
          + new String(b, start, Math.min(end - start, 200), StandardCharsets.UTF_8));
    }
    com.fasterxml.jackson.databind.JsonNode t = node.remove("_ts");
    if (t == null || !t.canConvertToLong()) {
      throw new ScrapinghubException("record of job " + job + " has no numeric _ts although meta=_ts was requested: "
          + new String(b, start, Math.min(end - start, 200), StandardCharsets.UTF_8));
    }
    byte[] rest;
    try {
      rest = Json.MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new ScrapinghubException("record of job " + job + " could not be re-encoded: " + e.getMessage());
    }
    return viaJackson(rest, 0, rest.length, job, keepKey, t.asLong());
  }

  private static JobRecord keyed(byte[] b, int start, int end, JobKey job, boolean keepKey, long ts) {
    if (startsWith(b, start, end, KEY_FIRST)) {
      return keyFirst(b, start, end, job, keepKey, ts);
    }
    int k = lastIndexOf(b, KEY_FIELD, start, end);
    int valueStart = k + KEY_FIELD.length;
    int valueEnd = k < 0 ? -1 : indexOf(b, (byte) '"', valueStart);
    boolean last = valueEnd > 0 && valueEnd + 2 == end && b[valueEnd + 1] == '}';
    if (k < 0 || !last) {
      return viaJackson(b, start, end, job, keepKey, ts);
    }
    long index = parseIndex(b, valueStart, valueEnd, b, start, end);
    if (keepKey) {
      return new JobRecord(job, index, Arrays.copyOfRange(b, start, end), ts);
    }
    // Drop ,"_key":"..." (or the only field): keep everything before it, then close the object.
    int cut = k;
    while (cut > start && (b[cut - 1] == ' ')) {
      cut--;
    }
    if (b[cut - 1] == ',') {
      cut--;
    }
    byte[] json = Arrays.copyOfRange(b, start, cut + 1);
    json[json.length - 1] = '}';
    return new JobRecord(job, index, json, ts);
  }

  /**
   * Logs and requests come with {@code _key} first: {@code {"_key":"P/S/J/N","time":...}}. Drop
   * {@code "_key":"...",} right after the opening brace.
   */
  private static JobRecord keyFirst(byte[] b, int start, int end, JobKey job, boolean keepKey, long ts) {
    int valueStart = start + KEY_FIRST.length;
    int valueEnd = indexOf(b, (byte) '"', valueStart);
    if (valueEnd < 0 || valueEnd + 1 >= end || b[end - 1] != '}'
        || (b[valueEnd + 1] != ',' && b[valueEnd + 1] != '}')) {
      return viaJackson(b, start, end, job, keepKey, ts);
    }
    long index = parseIndex(b, valueStart, valueEnd, b, start, end);
    if (keepKey) {
      return new JobRecord(job, index, Arrays.copyOfRange(b, start, end), ts);
    }
    if (b[valueEnd + 1] == '}') {
      return new JobRecord(job, index, new byte[] {'{', '}'}, ts);
    }
    int restStart = valueEnd + 2; // after the comma
    byte[] json = new byte[1 + end - restStart];
    json[0] = '{';
    System.arraycopy(b, restStart, json, 1, end - restStart);
    return new JobRecord(job, index, json, ts);
  }

  private static boolean startsWith(byte[] b, int start, int end, byte[] prefix) {
    if (end - start < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[start + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static JobRecord viaJackson(byte[] b, int start, int end, JobKey job, boolean keepKey, long ts) {
    try {
      ObjectNode node = (ObjectNode) Json.MAPPER.readTree(b, start, end - start);
      String key = node.path("_key").asText(null);
      if (key == null) {
        throw new ScrapinghubException("record of job " + job + " has no _key although meta=_key was requested: "
            + new String(b, start, Math.min(end - start, 200), StandardCharsets.UTF_8));
      }
      byte[] kb = key.getBytes(StandardCharsets.UTF_8);
      long index = parseIndex(kb, 0, kb.length, b, start, end);
      if (!keepKey) {
        node.remove("_key");
        return new JobRecord(job, index, Json.MAPPER.writeValueAsBytes(node), ts);
      }
      return new JobRecord(job, index, Arrays.copyOfRange(b, start, end), ts);
    } catch (IOException | ClassCastException e) {
      throw new ScrapinghubException("record of job " + job + " is not a JSON object: "
          + new String(b, start, Math.min(end - start, 200), StandardCharsets.UTF_8));
    }
  }

  /** The digits after the last '/' of a key such as {@code 2222222/1/287/42}. */
  private static long parseIndex(byte[] k, int from, int to, byte[] line, int lineStart, int lineEnd) {
    int slash = to - 1;
    while (slash >= from && k[slash] != '/') {
      slash--;
    }
    long v = 0;
    if (slash < from || slash == to - 1) {
      throw badKey(k, from, to, line, lineStart, lineEnd);
    }
    for (int i = slash + 1; i < to; i++) {
      int d = k[i] - '0';
      if (d < 0 || d > 9) {
        throw badKey(k, from, to, line, lineStart, lineEnd);
      }
      v = v * 10 + d;
    }
    return v;
  }

  private static ScrapinghubException badKey(byte[] k, int from, int to, byte[] line, int s, int e) {
    return new ScrapinghubException("unexpected _key '" + new String(k, from, to - from, StandardCharsets.UTF_8)
        + "' in record " + new String(line, s, Math.min(e - s, 200), StandardCharsets.UTF_8));
  }

  /**
   * The first {@code c} in {@code b} from {@code from} on.
   *
   * @param b the bytes
   * @param c the byte to find
   * @param from where to start
   * @return its index, or -1
   */
  public static int indexOf(byte[] b, byte c, int from) {
    return indexOf(b, c, from, b.length);
  }

  /**
   * The first {@code c} in {@code b[from, to)}, or -1.
   *
   * @param b the bytes
   * @param c the byte to find
   * @param from where to start
   * @param to where to stop
   * @return its index, or -1
   */
  public static int indexOf(byte[] b, byte c, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }

  private static int lastIndexOf(byte[] b, byte[] pattern, int start, int end) {
    outer:
    for (int i = end - pattern.length; i >= start; i--) {
      for (int j = 0; j < pattern.length; j++) {
        if (b[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
