package io.scrapinghubio.client.http;

import io.scrapinghubio.client.metrics.RequestListener;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import okhttp3.Call;
import okhttp3.Response;

/**
 * A successful storage answer whose body is read as it arrives, rather than whole: the reader of a
 * big range hands records over while the rest is still on the wire, so one request can carry a
 * whole range and the distance to the service is paid once, not once per page.
 *
 * <p>Failures before the body (refused connections, 429/5xx answers) were retried by the
 * transport; a body cut mid-way surfaces as an {@link IOException} from {@link #read}, and
 * resuming is the caller's: only it knows which records it has. {@link #cancel()} may be called
 * from any thread to stop a read in progress (a closed iterator), which then fails at once
 * without any retry.
 */
public final class StreamedBody implements AutoCloseable {
  private final Call call;
  private final Response response;
  private final InputStream in;
  private final String resource;
  private final List<RequestListener> listeners;
  private long bytes;
  private boolean closed;

  StreamedBody(Call call, Response response, String resource, List<RequestListener> listeners) {
    this.call = call;
    this.response = response;
    this.in = response.body().byteStream();
    this.resource = resource;
    this.listeners = listeners;
  }

  /**
   * Whether the service sent msgpack (it may answer JSON lines whatever was asked).
   *
   * @return true for msgpack
   */
  public boolean isMsgpack() {
    String ct = response.header("Content-Type");
    return ct != null && ct.startsWith(HttpTransport.MSGPACK);
  }

  /**
   * As {@link InputStream#read(byte[], int, int)}: blocks until some bytes arrive; -1 at the end.
   *
   * @param b where to put the bytes
   * @param off where in {@code b}
   * @param len the most bytes
   * @return the bytes read, or -1 at the end
   * @throws IOException the connection failed or the read was cancelled
   */
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      bytes += n;
    }
    return n;
  }

  /**
   * Bytes that can be read now without blocking (0 when the next read would wait for the network).
   *
   * @return the bytes
   * @throws IOException the connection failed
   */
  public int available() throws IOException {
    return in.available();
  }

  /**
   * Whether a body's text after its last newline is empty or one complete JSON value: the real
   * service ends some JSON-lines bodies without a final newline, so only a last line that does not
   * parse proves a cut.
   *
   * @param tail the body's bytes after its last newline
   * @return true when the body ended on a complete line
   */
  public static boolean endsWithCompleteLine(byte[] tail) {
    return RetryInterceptor.lastLineComplete(tail);
  }

  /** Stops the exchange from any thread: a read in progress fails at once. */
  public void cancel() {
    call.cancel();
  }

  /** Releases the connection (a body not read to its end closes it rather than return it to the pool). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    response.close();
    for (RequestListener l : listeners) {
      l.onBodyRead(resource, bytes);
    }
  }
}
