package io.scrapinghubio.client.http;

import java.io.IOException;
import java.net.ConnectException;

/**
 * A connection could not be opened to a host that has not answered this client once. Nothing
 * suggests the host is about to come back (a wrong endpoint, a service that is not running), so
 * the call is not retried: backing off for half a minute would only hide the mistake.
 */
final class NeverAnsweredException extends IOException {
  private static final long serialVersionUID = 1L;

  NeverAnsweredException(String hostAndPort, ConnectException cause) {
    super("cannot connect to " + hostAndPort + " (" + rootMessage(cause) + "), which has not answered this client once", cause);
  }

  /** OkHttp wraps the socket's "Connection refused" in its own "Failed to connect to ..." message. */
  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
