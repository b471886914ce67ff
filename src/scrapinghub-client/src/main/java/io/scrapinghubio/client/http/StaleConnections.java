package io.scrapinghubio.client.http;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import okhttp3.Connection;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Tells a pooled connection the server had already closed from a failure of the service.
 *
 * <p>Servers and load balancers close idle keep-alive connections when they like (the emulator's
 * JDK server after 30 to 40 s) and the pool learns it only when it next uses one: OkHttp checks a
 * pooled connection for a close before reusing it for other methods, but not for a GET. The
 * request then fails at once with an end of stream or a reset, before any byte of an answer. Such
 * a failure says nothing about the service: {@link RetryInterceptor} repeats the request on a new
 * connection at once, without spending an attempt of the retry policy.
 *
 * <p>A network interceptor (it sees the connection): a failure is "stale" when the connection had
 * already carried an exchange and the peer closed or reset it before the answer's headers.
 */
final class StaleConnections implements Interceptor {
  /** Connections that have carried an exchange; JVM-wide because the pool is (weak: the pool owns them). */
  private static final Set<Connection> SERVED = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  @Override
  public Response intercept(Chain chain) throws IOException {
    Connection connection = chain.connection();
    boolean reused = connection != null && !SERVED.add(connection);
    try {
      return chain.proceed(chain.request());
    } catch (IOException e) {
      if (reused && closedByPeer(e)) {
        throw new StaleConnectionException(e);
      }
      throw e;
    }
  }

  /** An end of stream or a reset somewhere in the cause chain; a timeout is not one. */
  static boolean closedByPeer(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof EOFException || (t instanceof SocketException && !(t instanceof ConnectException))) {
        return true;
      }
    }
    return false;
  }

  /** A request failed on a pooled connection the server had closed; the cause is the original failure. */
  static final class StaleConnectionException extends IOException {
    private static final long serialVersionUID = 1L;

    StaleConnectionException(IOException cause) {
      super("pooled connection already closed by the server: " + cause.getMessage(), cause);
    }

    IOException original() {
      return (IOException) getCause();
    }
  }
}
