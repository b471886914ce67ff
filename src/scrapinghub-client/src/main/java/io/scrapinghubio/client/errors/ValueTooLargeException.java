package io.scrapinghubio.client.errors;

/** A record is over the 1 MiB encoded limit (HTTP 413, or rejected before upload). */
public class ValueTooLargeException extends ScrapinghubException {
  private static final long serialVersionUID = 1L;

  public ValueTooLargeException(String message) {
    this(message, 413, null);
  }

  public ValueTooLargeException(String message, int status, Throwable cause) {
    super(message, status, cause);
  }
}
