package io.scrapinghubio.emulator.json;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

/**
 * Hand-written msgpack encoder for plain-Java JSON values.
 *
 * <p>It emits what the Python client (msgpack &ge; 1.0, {@code raw=False}) expects and what the
 * recordings show: str (never bin) strings, string map keys, the smallest int/str/map/array
 * header (fixmap, fixstr, uint64 {@code 0xcf} for millisecond timestamps), float64 for floats.
 * {@link #sizeOf} gives the encoded size without encoding; the service reports it as
 * {@code input_bytes} in {@code /stats}.
 */
public final class Msgpack {

  private Msgpack() {}

  /**
   * Encodes a JSON value as msgpack, as the service's msgpack answers do.
   *
   * @param value a JSON value (Maps, Lists, Strings, Numbers, Booleans, null)
   * @return the encoding
   */
  public static byte[] encode(Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(out, value);
    return out.toByteArray();
  }

  /**
   * Writes a JSON value as msgpack.
   *
   * @param out where to write
   * @param v a JSON value
   */
  public static void write(ByteArrayOutputStream out, Object v) {
    if (v == null) {
      out.write(0xc0);
    } else if (v instanceof Boolean) {
      out.write(((Boolean) v) ? 0xc3 : 0xc2);
    } else if (v instanceof String) {
      writeString(out, (String) v);
    } else if (v instanceof BigInteger) {
      BigInteger b = (BigInteger) v;
      if (b.bitLength() < 64) {
        writeLong(out, b.longValue());
      } else if (b.signum() > 0 && b.bitLength() == 64) {
        out.write(0xcf);
        writeBytes(out, b.longValue(), 8);
      } else {
        writeDouble(out, b.doubleValue());
      }
    } else if (Json.isIntegral(v)) {
      writeLong(out, ((Number) v).longValue());
    } else if (v instanceof Number) {
      writeDouble(out, ((Number) v).doubleValue());
    } else if (v instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) v;
      header(out, m.size(), 0x80, 0xde, 0xdf);
      for (Map.Entry<?, ?> e : m.entrySet()) {
        writeString(out, String.valueOf(e.getKey()));
        write(out, e.getValue());
      }
    } else if (v instanceof Collection) {
      Collection<?> c = (Collection<?>) v;
      header(out, c.size(), 0x90, 0xdc, 0xdd);
      for (Object o : c) {
        write(out, o);
      }
    } else {
      writeString(out, v.toString());
    }
  }

  /**
   * Encoded size of a value, computed without allocating the encoding.
   *
   * @param v a JSON value
   * @return the size in bytes
   */
  public static long sizeOf(Object v) {
    if (v == null || v instanceof Boolean) {
      return 1;
    } else if (v instanceof String) {
      return stringSize((String) v);
    } else if (v instanceof BigInteger) {
      BigInteger b = (BigInteger) v;
      return b.bitLength() < 64 ? longSize(b.longValue()) : 9;
    } else if (Json.isIntegral(v)) {
      return longSize(((Number) v).longValue());
    } else if (v instanceof Number) {
      return 9;
    } else if (v instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) v;
      long n = headerSize(m.size());
      for (Map.Entry<?, ?> e : m.entrySet()) {
        n += stringSize(String.valueOf(e.getKey())) + sizeOf(e.getValue());
      }
      return n;
    } else if (v instanceof Collection) {
      Collection<?> c = (Collection<?>) v;
      long n = headerSize(c.size());
      for (Object o : c) {
        n += sizeOf(o);
      }
      return n;
    }
    return stringSize(v.toString());
  }

  static long headerSize(int n) {
    return n < 16 ? 1 : n < 65536 ? 3 : 5;
  }

  /**
   * Encoded size of a string: its UTF-8 bytes and its header.
   *
   * @param s the string
   * @return the size in bytes
   */
  public static long stringSize(String s) {
    int n = utf8Length(s);
    return n + (n < 32 ? 1 : n < 256 ? 2 : n < 65536 ? 3 : 5);
  }

  static long longSize(long v) {
    if (v >= 0) {
      return v < 128 ? 1 : v < 256 ? 2 : v < 65536 ? 3 : v < 4294967296L ? 5 : 9;
    }
    return v >= -32 ? 1 : v >= -128 ? 2 : v >= -32768 ? 3 : v >= Integer.MIN_VALUE ? 5 : 9;
  }

  static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  private static void header(ByteArrayOutputStream out, int n, int fix, int b16, int b32) {
    if (n < 16) {
      out.write(fix | n);
    } else if (n < 65536) {
      out.write(b16);
      writeBytes(out, n, 2);
    } else {
      out.write(b32);
      writeBytes(out, n, 4);
    }
  }

  private static void writeString(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    int n = b.length;
    if (n < 32) {
      out.write(0xa0 | n);
    } else if (n < 256) {
      out.write(0xd9);
      out.write(n);
    } else if (n < 65536) {
      out.write(0xda);
      writeBytes(out, n, 2);
    } else {
      out.write(0xdb);
      writeBytes(out, n, 4);
    }
    out.write(b, 0, n);
  }

  private static void writeLong(ByteArrayOutputStream out, long v) {
    if (v >= 0) {
      if (v < 128) {
        out.write((int) v);
      } else if (v < 256) {
        out.write(0xcc);
        out.write((int) v);
      } else if (v < 65536) {
        out.write(0xcd);
        writeBytes(out, v, 2);
      } else if (v < 4294967296L) {
        out.write(0xce);
        writeBytes(out, v, 4);
      } else {
        out.write(0xcf);
        writeBytes(out, v, 8);
      }
    } else if (v >= -32) {
      out.write((int) (v & 0xff));
    } else if (v >= -128) {
      out.write(0xd0);
      out.write((int) (v & 0xff));
    } else if (v >= -32768) {
      out.write(0xd1);
      writeBytes(out, v, 2);
    } else if (v >= Integer.MIN_VALUE) {
      out.write(0xd2);
      writeBytes(out, v, 4);
    } else {
      out.write(0xd3);
      writeBytes(out, v, 8);
    }
  }

  private static void writeDouble(ByteArrayOutputStream out, double d) {
    out.write(0xcb);
    writeBytes(out, Double.doubleToLongBits(d), 8);
  }

  private static void writeBytes(ByteArrayOutputStream out, long v, int n) {
    for (int i = n - 1; i >= 0; i--) {
      out.write((int) (v >>> (8 * i)) & 0xff);
    }
  }
}
