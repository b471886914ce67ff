package io.scrapinghubio.client.errors;

/** The API key is valid but has no access to the resource (HTTP 403). */
public class ForbiddenException extends ScrapinghubException {
  private static final long serialVersionUID = 1L;

  public ForbiddenException(String message) {
    this(message, 403, null);
  }

  public ForbiddenException(String message, int status, Throwable cause) {
    super(message, status, cause);
  }
}
