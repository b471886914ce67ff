package io.scrapinghubio.client.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON-lines bodies: encoding request bodies (one compact JSON document per line) and splitting
 * responses. The storage API answers even "plain JSON" endpoints as single lines, and never with
 * blank lines; blank lines are tolerated here anyway.
 */
public final class JsonLines {
  private JsonLines() {}

  /**
   * One compact JSON line per value, each terminated by {@code \n} (the batch-writer form).
   *
   * @param values the values
   * @return the UTF-8 body
   */
  public static byte[] encode(Iterable<?> values) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object v : values) {
      byte[] line = Json.write(v).getBytes(StandardCharsets.UTF_8);
      out.write(line, 0, line.length);
      out.write('\n');
    }
    return out.toByteArray();
  }

  /**
   * Every non-blank line of {@code body} parsed as JSON.
   *
   * @param body the body
   * @return the documents
   */
  public static List<JsonNode> parse(byte[] body) {
    List<JsonNode> out = new ArrayList<>();
    for (byte[] line : split(body)) {
      out.add(Json.parse(line));
    }
    return out;
  }

  /**
   * Raw (unparsed) non-blank lines of {@code body}.
   *
   * @param body the body
   * @return the lines, without their newlines
   */
  public static List<byte[]> split(byte[] body) {
    List<byte[]> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= body.length; i++) {
      if (i == body.length || body[i] == '\n') {
        int end = i;
        if (end > start && body[end - 1] == '\r') {
          end--;
        }
        if (end > start && !isBlank(body, start, end)) {
          out.add(java.util.Arrays.copyOfRange(body, start, end));
        }
        start = i + 1;
      }
    }
    return out;
  }

  private static boolean isBlank(byte[] b, int start, int end) {
    for (int i = start; i < end; i++) {
      if (b[i] != ' ' && b[i] != '\t') {
        return false;
      }
    }
    return true;
  }

  /**
   * A body as text.
   *
   * @param body the body
   * @return the body decoded from UTF-8
   */
  public static String text(byte[] body) {
    return new String(body, StandardCharsets.UTF_8);
  }
}
