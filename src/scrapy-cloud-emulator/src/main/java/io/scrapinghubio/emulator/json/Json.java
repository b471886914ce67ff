package io.scrapinghubio.emulator.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Plain-Java JSON values (Map/List/String/Number/Boolean/null) in and out.
 *
 * <p>Parsing goes through Jackson (already a connector dependency). Writing is done by hand because
 * the real service answers in two dialects and byte-compatibility matters: the storage data
 * endpoints send compact JSON ({@code {"a":1}}) while the JobQ/metadata endpoints (a Python
 * Werkzeug app) send Python {@code json.dumps} output ({@code {"a": 1}}). Both are single-line.
 */
public final class Json {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {}

  /** Thrown when a request body is not valid JSON. */
  public static final class JsonSyntaxException extends RuntimeException {
    /**
     * An exception for a body that does not parse.
     *
     * @param message the parser's message
     * @param cause the parser's exception
     */
    public JsonSyntaxException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Parses one JSON document.
   *
   * @param bytes UTF-8 JSON
   * @return Maps, Lists, Strings, Numbers, Booleans and nulls
   */
  public static Object parse(byte[] bytes) {
    return parse(bytes, 0, bytes.length);
  }

  /**
   * Parses one JSON document from a slice of bytes.
   *
   * @param bytes UTF-8 JSON
   * @param off where the document starts
   * @param len its length
   * @return Maps, Lists, Strings, Numbers, Booleans and nulls
   */
  public static Object parse(byte[] bytes, int off, int len) {
    try {
      return MAPPER.readValue(bytes, off, len, Object.class);
    } catch (JsonProcessingException e) {
      throw new JsonSyntaxException(e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Parses one JSON document.
   *
   * @param text the JSON text
   * @return Maps, Lists, Strings, Numbers, Booleans and nulls
   */
  public static Object parse(String text) {
    return parse(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Splits a JSON-lines body into parsed documents; blank lines are ignored.
   *
   * @param body the body's bytes
   * @return the documents, in order
   */
  public static List<Object> parseLines(byte[] body) {
    List<Object> out = new ArrayList<>();
    for (int[] line : lines(body)) {
      out.add(parse(body, line[0], line[1]));
    }
    return out;
  }

  /**
   * Offsets and lengths of the non-blank lines of a body (handles {@code \r\n}).
   *
   * @param body the body's bytes
   * @return {@code [offset, length]} of each line, in order
   */
  public static List<int[]> lines(byte[] body) {
    List<int[]> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= body.length; i++) {
      if (i == body.length || body[i] == '\n') {
        int end = i;
        while (end > start && (body[end - 1] == '\r' || body[end - 1] == ' ' || body[end - 1] == '\t')) {
          end--;
        }
        int s = start;
        while (s < end && (body[s] == ' ' || body[s] == '\t')) {
          s++;
        }
        if (end > s) {
          out.add(new int[] {s, end - s});
        }
        start = i + 1;
      }
    }
    return out;
  }

  /**
   * Compact JSON ({@code {"a":1,"b":[1,2]}}), UTF-8 kept as is.
   *
   * @param value a JSON value
   * @return the JSON text
   */
  public static String compact(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, false);
    return sb.toString();
  }

  /**
   * {@link #compact(Object)} as UTF-8 bytes.
   *
   * @param value a JSON value
   * @return the bytes
   */
  public static byte[] compactBytes(Object value) {
    return compact(value).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Python {@code json.dumps} style ({@code {"a": 1, "b": [1, 2]}}), non-ASCII escaped.
   *
   * @param value a JSON value
   * @return the JSON text
   */
  public static String python(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, true);
    return sb.toString();
  }

  /**
   * {@link #python(Object)} as UTF-8 bytes.
   *
   * @param value a JSON value
   * @return the bytes
   */
  public static byte[] pythonBytes(Object value) {
    return python(value).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Joins documents as JSON lines, each followed by a newline.
   *
   * @param docs the documents
   * @param pythonStyle true for {@link #python(Object)}'s style, false for
   *     {@link #compact(Object)}'s
   * @return the UTF-8 bytes
   */
  public static byte[] lines(Collection<?> docs, boolean pythonStyle) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object d : docs) {
      byte[] b = pythonStyle ? pythonBytes(d) : compactBytes(d);
      out.write(b, 0, b.length);
      out.write('\n');
    }
    return out.toByteArray();
  }

  private static void write(StringBuilder sb, Object v, boolean py) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String) {
      quote(sb, (String) v, py);
    } else if (v instanceof Boolean) {
      sb.append(((Boolean) v) ? "true" : "false");
    } else if (v instanceof Double || v instanceof Float) {
      sb.append(formatDouble(((Number) v).doubleValue()));
    } else if (v instanceof BigDecimal) {
      sb.append(((BigDecimal) v).toString());
    } else if (v instanceof Number) {
      sb.append(v.toString());
    } else if (v instanceof Map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        if (!first) {
          sb.append(py ? ", " : ",");
        }
        first = false;
        quote(sb, String.valueOf(e.getKey()), py);
        sb.append(py ? ": " : ":");
        write(sb, e.getValue(), py);
      }
      sb.append('}');
    } else if (v instanceof Collection) {
      sb.append('[');
      boolean first = true;
      for (Object o : (Collection<?>) v) {
        if (!first) {
          sb.append(py ? ", " : ",");
        }
        first = false;
        write(sb, o, py);
      }
      sb.append(']');
    } else if (v instanceof Object[]) {
      write(sb, List.of((Object[]) v), py);
    } else {
      quote(sb, v.toString(), py);
    }
  }

  /** Python-like float repr: integral doubles keep ".0", large ones use exponent. */
  static String formatDouble(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return "null";
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e16) {
      return BigDecimal.valueOf(d).toBigInteger().toString() + ".0";
    }
    String s = Double.toString(d);
    int e = s.indexOf('E');
    if (e < 0) {
      return s;
    }
    String mant = s.substring(0, e);
    if (mant.endsWith(".0")) {
      mant = mant.substring(0, mant.length() - 2);
    }
    int exp = Integer.parseInt(s.substring(e + 1));
    return mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
  }

  static void quote(StringBuilder sb, String s, boolean asciiOnly) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        case '\b':
          sb.append("\\b");
          break;
        case '\f':
          sb.append("\\f");
          break;
        default:
          if (c < 0x20 || (asciiOnly && c > 0x7e)) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }

  /**
   * True for integral JSON numbers (Integer, Long, BigInteger).
   *
   * @param o a parsed JSON value
   * @return true for integral numbers
   */
  public static boolean isIntegral(Object o) {
    return o instanceof Integer || o instanceof Long || o instanceof BigInteger || o instanceof Short;
  }
}
