package io.scrapinghubio.client.errors;

/** The API key is valid but has no access to the resource (HTTP 403). */
public class ForbiddenException extends ScrapinghubException {
  private static final long serialVersionUID = 1L;

  /**
   * A 403 answer.
   *
   * @param message what the service said
   */
  public ForbiddenException(String message) {
    this(message, 403, null);
  }

  /**
   * A refusal with this status.
   *
   * @param message what the service said
   * @param status the HTTP status
   * @param cause the underlying exception, or null
   */
  public ForbiddenException(String message, int status, Throwable cause) {
    super(message, status, cause);
  }
}
