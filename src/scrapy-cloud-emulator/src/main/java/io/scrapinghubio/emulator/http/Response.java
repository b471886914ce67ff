package io.scrapinghubio.emulator.http;

import com.sun.net.httpserver.HttpExchange;
import io.scrapinghubio.emulator.fault.FaultPlan;
import io.scrapinghubio.emulator.fault.FaultRule;
import io.scrapinghubio.emulator.log.ServerStats;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes one response. Small bodies go out with a Content-Length (gzipped first when allowed, as
 * the storage hosts do); big record streams go out chunked, or with an exact Content-Length when
 * the size is known in advance and no gzip is applied (fastest path).
 *
 * <p>Every body byte passes through a wire counter that also implements the truncation fault and
 * the bandwidth limit (after gzip, so compressed bytes are what is paced, as on a real link).
 */
public final class Response {
  private final HttpExchange exchange;
  private final ServerStats stats;
  private final boolean gzipAllowed;
  private final FaultPlan faults;
  private final FaultRule truncate;
  private final String method;
  private final String path;
  private final double bytesPerSecond;
  private int status;
  private boolean sent;
  private boolean dropBeforeSending;

  Response(HttpExchange exchange, ServerStats stats, boolean gzipAllowed, FaultPlan faults,
      FaultRule truncate, String method, String path, double bytesPerSecond) {
    this.exchange = exchange;
    this.stats = stats;
    this.gzipAllowed = gzipAllowed;
    this.faults = faults;
    this.truncate = truncate;
    this.method = method;
    this.path = path;
    this.bytesPerSecond = bytesPerSecond;
  }

  /** Lost-acknowledgement fault: the handler runs, then the connection is dropped instead of answering. */
  void dropBeforeSending() {
    this.dropBeforeSending = true;
  }

  /**
   * Whether the status line and headers were sent.
   *
   * @return true once sent
   */
  public boolean sent() {
    return sent;
  }

  /**
   * The status sent.
   *
   * @return the status, or 0 before
   */
  public int status() {
    return status;
  }

  /**
   * Sets a response header (before anything is sent).
   *
   * @param name the header's name
   * @param value its value
   */
  public void header(String name, String value) {
    exchange.getResponseHeaders().set(name, value);
  }

  /**
   * A complete body; gzipped when {@code compressible} and the client accepts it.
   *
   * @param status the HTTP status
   * @param contentType the content type, or null for none
   * @param body the body
   * @param compressible whether gzip may be applied
   */
  public void bytes(int status, String contentType, byte[] body, boolean compressible) {
    byte[] out = body;
    if (compressible && gzipAllowed && body.length > 0) {
      ByteArrayOutputStream bos = new ByteArrayOutputStream(Math.max(64, body.length / 4));
      try (OutputStream gz = gzip(bos)) {
        gz.write(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      out = bos.toByteArray();
      header("Content-Encoding", "gzip");
    }
    start(status, contentType, out.length == 0 ? -1 : out.length);
    if (out.length > 0) {
      try (OutputStream os = wire()) {
        os.write(out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      exchange.close();
    }
  }

  /**
   * An empty body with the given content type (null = none).
   *
   * @param status the HTTP status
   * @param contentType the content type, or null for none
   */
  public void empty(int status, String contentType) {
    start(status, contentType, -1);
    exchange.close();
  }

  /**
   * Opens a streamed body. {@code knownLength} is the exact uncompressed size or -1; it is used
   * only when the body is not gzipped. The caller must close the stream.
   *
   * @param status the HTTP status
   * @param contentType the content type, or null for none
   * @param knownLength the body's size, or -1
   * @param compressible whether gzip may be applied
   * @return the body's stream
   */
  public OutputStream stream(int status, String contentType, long knownLength, boolean compressible) {
    boolean gz = compressible && gzipAllowed;
    if (gz) {
      header("Content-Encoding", "gzip");
      start(status, contentType, 0);
      return gzip(new BufferedOut(wire(), 1 << 16));
    }
    start(status, contentType, knownLength > 0 ? knownLength : knownLength == 0 ? -1 : 0);
    if (knownLength == 0) {
      return new OutputStream() {
        @Override
        public void write(int b) {
          throw new IllegalStateException("body declared empty");
        }

        @Override
        public void close() {
          exchange.close();
        }
      };
    }
    return new BufferedOut(wire(), 1 << 16);
  }

  private void start(int status, String contentType, long length) {
    if (sent) {
      throw new IllegalStateException("response already started");
    }
    if (dropBeforeSending) {
      throw new ConnectionAbort("answer dropped after handling (lost-acknowledgement fault)");
    }
    sent = true;
    this.status = status;
    if (contentType != null) {
      header("Content-Type", contentType);
    }
    try {
      exchange.sendResponseHeaders(status, length);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private OutputStream wire() {
    return new WireStream(exchange.getResponseBody());
  }

  private static OutputStream gzip(OutputStream out) {
    try {
      return new GZIPOutputStream(out, 1 << 16) {
        {
          def.setLevel(Deflater.BEST_SPEED);
        }
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Counts bytes sent, cuts the connection when a truncation fault says so, and paces the body to
   * {@code bytesPerSecond} (0 = unlimited) when a bandwidth is set.
   */
  private final class WireStream extends FilterOutputStream {
    /** Largest write between two pacing sleeps, so the rate is smooth rather than bursty. */
    private static final int SLICE = 16 * 1024;
    /** How far behind schedule a slow writer may fall and still catch up at full speed: an idle link banks no bandwidth. */
    private static final long MAX_CATCH_UP_NANOS = 20_000_000;

    private long written;
    private boolean cut;
    /** When the first paced byte went out (System.nanoTime), moved forward after long stalls. */
    private long pacedSince;
    private long pacedBytes;
    private boolean pacing;

    WireStream(OutputStream out) {
      super(out);
    }

    @Override
    public void flush() throws IOException {
      if (cut) {
        throw new ConnectionAbort("connection already cut");
      }
      out.flush();
    }

    @Override
    public void close() throws IOException {
      if (cut) {
        // Never finish a cut response (no final chunk, no length check): the server drops it.
        throw new ConnectionAbort("connection already cut");
      }
      out.close();
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (bytesPerSecond <= 0) {
        writeSlice(b, off, len);
        return;
      }
      while (len > 0) {
        int n = Math.min(len, SLICE);
        if (!pacing) {
          pacing = true;
          pacedSince = System.nanoTime();
        }
        // Wait first, then send: a slice reaches the client no sooner than a link at this rate
        // would deliver its last byte (waiting after would let a one-slice body arrive at once).
        pacedBytes += n;
        pace();
        writeSlice(b, off, n);
        out.flush(); // onto the socket now: pace what the wire carries, not what a buffer holds
        off += n;
        len -= n;
      }
    }

    /** Sleeps until the bytes sent so far, the next slice included, fit the rate since the body started. */
    private void pace() throws IOException {
      long due = pacedSince + (long) (pacedBytes * (1e9 / bytesPerSecond));
      long now = System.nanoTime();
      if (now - due > MAX_CATCH_UP_NANOS) {
        pacedSince += now - due - MAX_CATCH_UP_NANOS;
        return;
      }
      // parkNanos: sub-millisecond precision on Java 17 (Thread.sleep rounds to ms), no busy wait.
      while (now < due) {
        LockSupport.parkNanos(due - now);
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedIOException("paced response interrupted (emulator stopping)");
        }
        now = System.nanoTime();
      }
    }

    private void writeSlice(byte[] b, int off, int len) throws IOException {
      if (cut) {
        throw new ConnectionAbort("connection already cut");
      }
      if (truncate != null) {
        long limit = FaultPlan.truncateAfter(truncate);
        if (written + len > limit && faults.truncating(truncate, method, path)) {
          int keep = (int) Math.max(0, limit - written);
          out.write(b, off, keep);
          stats.countBytes(keep);
          out.flush();
          cut = true;
          throw new ConnectionAbort("truncated after " + limit + " bytes");
        }
      }
      out.write(b, off, len);
      written += len;
      stats.countBytes(len);
    }
  }

  /** A plain buffer (BufferedOutputStream is synchronized; this is single-threaded). */
  private static final class BufferedOut extends OutputStream {
    private final OutputStream out;
    private final byte[] buf;
    private int n;

    BufferedOut(OutputStream out, int size) {
      this.out = out;
      this.buf = new byte[size];
    }

    @Override
    public void write(int b) throws IOException {
      if (n == buf.length) {
        flushBuffer();
      }
      buf[n++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len >= buf.length) {
        flushBuffer();
        out.write(b, off, len);
        return;
      }
      if (len > buf.length - n) {
        flushBuffer();
      }
      System.arraycopy(b, off, buf, n, len);
      n += len;
    }

    private void flushBuffer() throws IOException {
      if (n > 0) {
        out.write(buf, 0, n);
        n = 0;
      }
    }

    @Override
    public void flush() throws IOException {
      flushBuffer();
      out.flush();
    }

    @Override
    public void close() throws IOException {
      flushBuffer();
      out.close();
    }
  }
}
