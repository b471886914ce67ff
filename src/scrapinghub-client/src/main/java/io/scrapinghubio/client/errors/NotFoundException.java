package io.scrapinghubio.client.errors;

/** The project, job, record, key or spider does not exist (HTTP 404 / empty lookup). */
public class NotFoundException extends ScrapinghubException {
  private static final long serialVersionUID = 1L;

  /**
   * A 404 answer.
   *
   * @param message what the service said
   */
  public NotFoundException(String message) {
    this(message, 404, null);
  }

  /**
   * A refusal with this status.
   *
   * @param message what the service said
   * @param status the HTTP status
   * @param cause the underlying exception, or null
   */
  public NotFoundException(String message, int status, Throwable cause) {
    super(message, status, cause);
  }
}
