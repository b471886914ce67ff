package io.scrapinghubio.client.write;

import io.scrapinghubio.client.errors.ScrapinghubException;

/**
 * An upload failed after the retry policy was exhausted (or with an error retrying cannot fix).
 * Nothing was dropped: the failed batch and every record after it are still held by the writer
 * ({@link BatchWriter#pending()}); call {@link BatchWriter#flush()} to try again, or
 * {@link BatchWriter#discardPending()} to take them out (e.g. to a dead-letter store).
 */
public class BatchUploadException extends ScrapinghubException {
  private static final long serialVersionUID = 1L;
  /** See {@link #pendingRecords()}. */
  private final long pendingRecords;

  /**
   * A failed upload.
   *
   * @param message what failed
   * @param pendingRecords records the writer still holds
   * @param cause the typed error of the last attempt
   */
  public BatchUploadException(String message, long pendingRecords, ScrapinghubException cause) {
    super(message, cause.status(), cause);
    this.pendingRecords = pendingRecords;
  }

  /**
   * Records still held by the writer when this was thrown.
   *
   * @return the count
   */
  public long pendingRecords() {
    return pendingRecords;
  }
}
