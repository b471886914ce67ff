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
   * @param firstIndex index of the first line when records carry no {@code _key} (samples)
   */
  public static List<JobRecord> decode(byte[] body, JobKey job, boolean withKeys, boolean keepKey, long firstIndex) {
    List<JobRecord> out = new ArrayList<>();
    int start = 0;
    long position = firstIndex;
    while (start < body.length) {
      int end = indexOf(body, (byte) '\n', start);
      if (end < 0) {
        end = body.length; // callers have already rejected bodies without a final newline
      }
      int lineEnd = end;
      if (lineEnd > start && body[lineEnd - 1] == '\r') {
        lineEnd--;
      }
      if (lineEnd > start) {
        out.add(withKeys ? keyed(body, start, lineEnd, job, keepKey) : new JobRecord(job, position, Arrays.copyOfRange(body, start, lineEnd)));
        position++;
      }
      start = end + 1;
    }
    return out;
  }

  private static JobRecord keyed(byte[] b, int start, int end, JobKey job, boolean keepKey) {
    if (startsWith(b, start, end, KEY_FIRST)) {
      return keyFirst(b, start, end, job, keepKey);
    }
    int k = lastIndexOf(b, KEY_FIELD, start, end);
    int valueStart = k + KEY_FIELD.length;
    int valueEnd = k < 0 ? -1 : indexOf(b, (byte) '"', valueStart);
    boolean last = valueEnd > 0 && valueEnd + 2 == end && b[valueEnd + 1] == '}';
    if (k < 0 || !last) {
      return viaJackson(b, start, end, job, keepKey);
    }
    long index = parseIndex(b, valueStart, valueEnd, b, start, end);
    if (keepKey) {
      return new JobRecord(job, index, Arrays.copyOfRange(b, start, end));
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
    return new JobRecord(job, index, json);
  }

  /**
   * Logs and requests come with {@code _key} first: {@code {"_key":"P/S/J/N","time":...}}. Drop
   * {@code "_key":"...",} right after the opening brace.
   */
  private static JobRecord keyFirst(byte[] b, int start, int end, JobKey job, boolean keepKey) {
    int valueStart = start + KEY_FIRST.length;
    int valueEnd = indexOf(b, (byte) '"', valueStart);
    if (valueEnd < 0 || valueEnd + 1 >= end || b[end - 1] != '}'
        || (b[valueEnd + 1] != ',' && b[valueEnd + 1] != '}')) {
      return viaJackson(b, start, end, job, keepKey);
    }
    long index = parseIndex(b, valueStart, valueEnd, b, start, end);
    if (keepKey) {
      return new JobRecord(job, index, Arrays.copyOfRange(b, start, end));
    }
    if (b[valueEnd + 1] == '}') {
      return new JobRecord(job, index, new byte[] {'{', '}'});
    }
    int restStart = valueEnd + 2; // after the comma
    byte[] json = new byte[1 + end - restStart];
    json[0] = '{';
    System.arraycopy(b, restStart, json, 1, end - restStart);
    return new JobRecord(job, index, json);
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

  private static JobRecord viaJackson(byte[] b, int start, int end, JobKey job, boolean keepKey) {
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
        return new JobRecord(job, index, Json.MAPPER.writeValueAsBytes(node));
      }
      return new JobRecord(job, index, Arrays.copyOfRange(b, start, end));
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

  public static int indexOf(byte[] b, byte c, int from) {
    for (int i = from; i < b.length; i++) {
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
