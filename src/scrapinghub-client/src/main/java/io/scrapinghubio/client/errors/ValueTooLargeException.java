package io.scrapinghubio.client.errors;

/** A record is over the 1 MiB encoded limit (HTTP 413, or rejected before upload). */
public class ValueTooLargeException extends ScrapinghubException {
  private static final long serialVersionUID = 1L;

  /**
   * A 413 answer, or a record over the size limit refused before upload.
   *
   * @param message what was too large
   */
  public ValueTooLargeException(String message) {
    this(message, 413, null);
  }

  /**
   * A refusal with this status.
   *
   * @param message what was too large
   * @param status the HTTP status
   * @param cause the underlying exception, or null
   */
  public ValueTooLargeException(String message, int status, Throwable cause) {
    super(message, status, cause);
  }
}
