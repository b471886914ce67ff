package io.scrapinghubio.client.errors;

/** The API key was not accepted (HTTP 401 / dash "Authentication failed"). */
public class UnauthorizedException extends ScrapinghubException {
  private static final long serialVersionUID = 1L;

  public UnauthorizedException(String message) {
    this(message, 401, null);
  }

  public UnauthorizedException(String message, int status, Throwable cause) {
    super(message, status, cause);
  }
}
