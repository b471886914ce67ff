package io.scrapinghubio.client.errors;

/** The service rejected the request as malformed (HTTP 400 / dash status error). */
public class BadRequestException extends ScrapinghubException {
  private static final long serialVersionUID = 1L;

  /**
   * A 400 answer.
   *
   * @param message what the service said
   */
  public BadRequestException(String message) {
    this(message, 400, null);
  }

  /**
   * A refusal with this status.
   *
   * @param message what the service said
   * @param status the HTTP status
   * @param cause the underlying exception, or null
   */
  public BadRequestException(String message, int status, Throwable cause) {
    super(message, status, cause);
  }
}
