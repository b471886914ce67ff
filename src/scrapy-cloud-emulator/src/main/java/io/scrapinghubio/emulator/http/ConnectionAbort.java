package io.scrapinghubio.emulator.http;

/**
 * Thrown to make the JDK server drop the connection without finishing the response: the server
 * loop lets it escape the handler, and {@code com.sun.net.httpserver} then closes the socket. Used
 * by the connection-reset and truncated-body faults.
 */
public final class ConnectionAbort extends RuntimeException {
  /**
   * An abort for this reason (no stack trace: it is control flow, not an error).
   *
   * @param reason why the connection is dropped, for the request log
   */
  public ConnectionAbort(String reason) {
    super(reason, null, false, false);
  }
}
