package io.scrapinghubio.client.errors;

/**
 * Base of every error the client raises, mirroring python-scrapinghub's {@code ScrapinghubAPIError}.
 *
 * <p>Unchecked, like the official client's exceptions: callers (and Beam DoFns) decide where to
 * catch. {@link #status()} is the HTTP status that caused it, or -1 when no response was received.
 * Messages never contain the API key; URLs in messages never carry credentials.
 */
public class ScrapinghubException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  /** See {@link #status()}. */
  private final int status;

  /**
   * An error found before any response (status -1).
   *
   * @param message what went wrong
   */
  public ScrapinghubException(String message) {
    this(message, -1, null);
  }

  /**
   * An error with the status of the failed response.
   *
   * @param message what went wrong
   * @param status the HTTP status, or -1
   * @param cause the underlying exception, or null
   */
  public ScrapinghubException(String message, int status, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /**
   * HTTP status of the failed response, or -1 if the failure happened before any response.
   *
   * @return the status, or -1
   */
  public int status() {
    return status;
  }
}
