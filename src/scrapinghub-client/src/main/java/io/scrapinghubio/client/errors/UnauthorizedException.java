package io.scrapinghubio.client.errors;

/** The API key was not accepted (HTTP 401 / dash "Authentication failed"). */
public class UnauthorizedException extends ScrapinghubException {
  private static final long serialVersionUID = 1L;

  /**
   * A 401 answer.
   *
   * @param message what the service said
   */
  public UnauthorizedException(String message) {
    this(message, 401, null);
  }

  /**
   * A refusal with this status.
   *
   * @param message what the service said
   * @param status the HTTP status
   * @param cause the underlying exception, or null
   */
  public UnauthorizedException(String message, int status, Throwable cause) {
    super(message, status, cause);
  }
}
