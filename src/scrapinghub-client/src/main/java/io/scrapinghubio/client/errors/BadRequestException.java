package io.scrapinghubio.client.errors;

/** The service rejected the request as malformed (HTTP 400 / dash status error). */
public class BadRequestException extends ScrapinghubException {
  private static final long serialVersionUID = 1L;

  public BadRequestException(String message) {
    this(message, 400, null);
  }

  public BadRequestException(String message, int status, Throwable cause) {
    super(message, status, cause);
  }
}
