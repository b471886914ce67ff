package io.scrapinghubio.client.errors;

/** The project, job, record, key or spider does not exist (HTTP 404 / empty lookup). */
public class NotFoundException extends ScrapinghubException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message) {
    this(message, 404, null);
  }

  public NotFoundException(String message, int status, Throwable cause) {
    super(message, status, cause);
  }
}
