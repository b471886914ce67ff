package io.scrapinghubio.client.errors;

/**
 * No usable response: connection refused or reset, timeout, or a body cut short, after the retry
 * policy gave up. The cause holds the last I/O error.
 */
public class TransportException extends ScrapinghubException {
  private static final long serialVersionUID = 1L;

  /**
   * No usable response: the connection failed or timed out.
   *
   * @param message what failed
   * @param cause the I/O exception
   */
  public TransportException(String message, Throwable cause) {
    super(message, -1, cause);
  }
}
