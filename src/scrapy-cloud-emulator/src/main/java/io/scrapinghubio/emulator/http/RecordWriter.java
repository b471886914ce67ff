package io.scrapinghubio.emulator.http;

import io.scrapinghubio.emulator.store.RecordLog;
import io.scrapinghubio.emulator.store.RecordType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes stored records as JSON lines by copying their bytes and splicing in the meta fields, so
 * serving a big job costs no JSON encoding. {@code _key} goes last for items and first for logs
 * and requests (as recorded); {@code _ts} follows {@code _key}. Items lines end with a newline,
 * logs/requests/samples lines are only separated by one (as recorded).
 */
final class RecordWriter {
  private static final byte[] KEY_OPEN = "\"_key\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TS_OPEN = "\"_ts\":".getBytes(StandardCharsets.US_ASCII);

  private final boolean withKey;
  private final boolean withTs;
  private final boolean nodata;
  private final boolean keyFirst;
  private final boolean trailingNewline;
  private final byte[] scratch = new byte[512];
  private boolean first = true;

  RecordWriter(RecordType type, boolean withKey, boolean withTs, boolean nodata) {
    this.withKey = withKey && type.hasMeta();
    this.withTs = withTs && type.hasMeta();
    this.nodata = nodata;
    this.keyFirst = type.keyFirst();
    this.trailingNewline = type == RecordType.ITEMS;
  }

  /** Writes record {@code i} of {@code v}; {@code keyPrefix} is {@code "P/S/J/"} as bytes. */
  void write(OutputStream out, RecordLog.View v, int i, byte[] keyPrefix) throws IOException {
    if (!first && !trailingNewline) {
      out.write('\n');
    }
    first = false;
    byte[] seg = v.segment(i);
    int off = v.offset(i);
    int len = v.length(i);
    boolean obj = len >= 2 && seg[off] == '{';
    if (!obj || (!withKey && !withTs && !nodata)) {
      out.write(seg, off, len);
    } else {
      int m = meta(keyPrefix, i, v.timestamp(i));
      boolean empty = nodata || len == 2;
      if (keyFirst) {
        out.write('{');
        out.write(scratch, 0, m);
        if (!empty) {
          out.write(',');
          out.write(seg, off + 1, len - 1);
        } else {
          out.write('}');
        }
      } else {
        if (empty) {
          out.write('{');
        } else {
          out.write(seg, off, len - 1);
          if (m > 0) {
            out.write(',');
          }
        }
        out.write(scratch, 0, m);
        out.write('}');
      }
    }
    if (trailingNewline) {
      out.write('\n');
    }
  }

  /** Exact number of bytes {@link #write} produces for record {@code i} (separator included). */
  long length(RecordLog.View v, int i, byte[] keyPrefix, boolean isFirst) {
    int len = v.length(i);
    long sep = trailingNewline || !isFirst ? 1 : 0;
    byte[] seg = v.segment(i);
    boolean obj = len >= 2 && seg[v.offset(i)] == '{';
    if (!obj || (!withKey && !withTs && !nodata)) {
      return len + sep;
    }
    int m = metaLength(keyPrefix, i, v.timestamp(i));
    boolean empty = nodata || len == 2;
    if (empty) {
      return 2 + m + sep;
    }
    return len + (m > 0 ? 1 : 0) + m + sep;
  }

  private int meta(byte[] keyPrefix, int index, long ts) {
    int n = 0;
    if (withKey) {
      System.arraycopy(KEY_OPEN, 0, scratch, n, KEY_OPEN.length);
      n += KEY_OPEN.length;
      System.arraycopy(keyPrefix, 0, scratch, n, keyPrefix.length);
      n += keyPrefix.length;
      n = digits(index, n);
      scratch[n++] = '"';
    }
    if (withTs) {
      if (n > 0) {
        scratch[n++] = ',';
      }
      System.arraycopy(TS_OPEN, 0, scratch, n, TS_OPEN.length);
      n += TS_OPEN.length;
      n = digits(ts, n);
    }
    return n;
  }

  private int metaLength(byte[] keyPrefix, int index, long ts) {
    int n = 0;
    if (withKey) {
      n += KEY_OPEN.length + keyPrefix.length + digitCount(index) + 1;
    }
    if (withTs) {
      n += (n > 0 ? 1 : 0) + TS_OPEN.length + digitCount(ts);
    }
    return n;
  }

  private int digits(long v, int pos) {
    if (v < 0) {
      scratch[pos++] = '-';
      v = -v;
    }
    int count = digitCount(v);
    for (int k = pos + count - 1; k >= pos; k--) {
      scratch[k] = (byte) ('0' + (v % 10));
      v /= 10;
    }
    return pos + count;
  }

  static int digitCount(long v) {
    if (v < 0) {
      return 1 + digitCount(-v);
    }
    int c = 1;
    while (v >= 10) {
      v /= 10;
      c++;
    }
    return c;
  }
}
