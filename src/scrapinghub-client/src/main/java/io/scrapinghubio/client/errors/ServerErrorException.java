package io.scrapinghubio.client.errors;

/** The service failed (HTTP 5xx), after retries where the call is retryable. */
public class ServerErrorException extends ScrapinghubException {
  private static final long serialVersionUID = 1L;

  public ServerErrorException(String message) {
    this(message, 500, null);
  }

  public ServerErrorException(String message, int status, Throwable cause) {
    super(message, status, cause);
  }
}
