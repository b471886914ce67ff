package io.scrapinghubio.client.errors;

/** The service failed (HTTP 5xx), after retries where the call is retryable. */
public class ServerErrorException extends ScrapinghubException {
  private static final long serialVersionUID = 1L;

  /**
   * A 5xx answer.
   *
   * @param message what the service said
   */
  public ServerErrorException(String message) {
    this(message, 500, null);
  }

  /**
   * A failure with this status.
   *
   * @param message what the service said
   * @param status the HTTP status
   * @param cause the underlying exception, or null
   */
  public ServerErrorException(String message, int status, Throwable cause) {
    super(message, status, cause);
  }
}
