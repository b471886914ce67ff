package io.scrapinghubio.emulator.demo;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes one compact JSON record straight into a reusable byte buffer while adding up its msgpack
 * size, so demo generation needs no Jackson tree per record. Strings must be plain ASCII without
 * characters needing escapes (the demo vocabulary is); containers must be declared with their
 * element count (msgpack headers depend on it).
 */
final class RecordBuilder {
  byte[] buf = new byte[4096];
  int len;
  long msgpack;
  private final boolean[] first = new boolean[16];
  private int depth;

  void reset() {
    len = 0;
    msgpack = 0;
    depth = 0;
  }

  private void ensure(int n) {
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
  }

  private void put(byte b) {
    ensure(1);
    buf[len++] = b;
  }

  private void sep() {
    if (depth > 0) {
      if (!first[depth]) {
        put((byte) ',');
      }
      first[depth] = false;
    }
  }

  RecordBuilder beginObject(int fields) {
    sep();
    put((byte) '{');
    msgpack += fields < 16 ? 1 : 3;
    first[++depth] = true;
    return this;
  }

  RecordBuilder beginArray(int elems) {
    sep();
    put((byte) '[');
    msgpack += elems < 16 ? 1 : 3;
    first[++depth] = true;
    return this;
  }

  RecordBuilder endObject() {
    depth--;
    put((byte) '}');
    return this;
  }

  RecordBuilder endArray() {
    depth--;
    put((byte) ']');
    return this;
  }

  /** A key; the next value call writes its value without a separator. */
  RecordBuilder key(String k) {
    sep();
    rawString(k);
    put((byte) ':');
    first[depth] = true; // suppress the comma before the value
    return this;
  }

  RecordBuilder str(String s) {
    sep();
    rawString(s);
    first[depth] = false;
    return this;
  }

  /** A string given as ASCII bytes (avoids re-encoding hot vocabulary). */
  RecordBuilder str(byte[] ascii) {
    sep();
    ensure(ascii.length + 2);
    buf[len++] = '"';
    System.arraycopy(ascii, 0, buf, len, ascii.length);
    len += ascii.length;
    buf[len++] = '"';
    msgpack += strSize(ascii.length);
    first[depth] = false;
    return this;
  }

  /** Starts a string value that is appended in pieces with {@link #piece}; close with {@link #endStr}. */
  int beginStr() {
    sep();
    put((byte) '"');
    return len;
  }

  void piece(byte[] ascii) {
    ensure(ascii.length);
    System.arraycopy(ascii, 0, buf, len, ascii.length);
    len += ascii.length;
  }

  void piece(char c) {
    put((byte) c);
  }

  void endStr(int startPos) {
    int n = len - startPos;
    put((byte) '"');
    msgpack += strSize(n);
    first[depth] = false;
  }

  RecordBuilder num(long v) {
    sep();
    byte[] b = Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    ensure(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
    msgpack += longSize(v);
    first[depth] = false;
    return this;
  }

  /** A float written with two decimals (price-like); msgpack float64. */
  RecordBuilder money(long cents) {
    sep();
    String s = (cents / 100) + "." + (cents % 100 < 10 ? "0" : "") + (cents % 100);
    if (s.endsWith("0") && !s.endsWith(".0")) {
      s = s.substring(0, s.length() - 1); // 12.50 -> 12.5 as Python would print it
    }
    rawAscii(s);
    msgpack += 9;
    first[depth] = false;
    return this;
  }

  /** A float with one decimal (rating-like). */
  RecordBuilder decimal1(int tenths) {
    sep();
    rawAscii((tenths / 10) + "." + (tenths % 10));
    msgpack += 9;
    first[depth] = false;
    return this;
  }

  RecordBuilder bool(boolean b) {
    sep();
    rawAscii(b ? "true" : "false");
    msgpack += 1;
    first[depth] = false;
    return this;
  }

  private void rawAscii(String s) {
    ensure(s.length());
    for (int i = 0; i < s.length(); i++) {
      buf[len++] = (byte) s.charAt(i);
    }
  }

  private void rawString(String s) {
    ensure(s.length() + 2);
    buf[len++] = '"';
    for (int i = 0; i < s.length(); i++) {
      buf[len++] = (byte) s.charAt(i);
    }
    buf[len++] = '"';
    msgpack += strSize(s.length());
  }

  static long strSize(int n) {
    return n + (n < 32 ? 1 : n < 256 ? 2 : n < 65536 ? 3 : 5);
  }

  static long longSize(long v) {
    if (v >= 0) {
      return v < 128 ? 1 : v < 256 ? 2 : v < 65536 ? 3 : v < 4294967296L ? 5 : 9;
    }
    return v >= -32 ? 1 : v >= -128 ? 2 : v >= -32768 ? 3 : v >= Integer.MIN_VALUE ? 5 : 9;
  }
}
