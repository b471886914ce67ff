package io.scrapinghubio.client.write;

/**
 * Batching limits of a {@link BatchWriter}.
 *
 * @param maxRecords a batch is uploaded once it holds this many records (official client: 1000;
 *     frontier slots 5000)
 * @param maxBatchBytes ... or once adding a record would take its body past this many bytes
 * @param maxRecordBytes a record whose encoded JSON is larger than this is rejected by
 *     {@code write()} with {@code ValueTooLargeException} (the service refuses records over 1 MiB
 *     and would reject the whole batch with HTTP 413)
 * @param startOffset offset ({@code ?start=}) of the first record, e.g. the current item count
 *     when appending to a job that already has items
 */
public record WriterOptions(int maxRecords, long maxBatchBytes, int maxRecordBytes, long startOffset) {
  /** The service's limit on one record's encoded JSON: 1 MiB. */
  public static final int MAX_RECORD_BYTES = 1024 * 1024;
  /** Bytes per batch unless {@link #withMaxBatchBytes} says otherwise: 4 MiB. */
  public static final long DEFAULT_BATCH_BYTES = 4L * 1024 * 1024;

  /**
   * Options; each limit is checked.
   *
   * @param maxRecords records per batch, at least 1
   * @param maxBatchBytes bytes per batch
   * @param maxRecordBytes the largest record
   * @param startOffset offset of the first record
   */
  public WriterOptions {
    if (maxRecords < 1) {
      throw new IllegalArgumentException("maxRecords must be >= 1, but was " + maxRecords);
    }
    if (maxRecordBytes < 1 || maxRecordBytes > MAX_RECORD_BYTES) {
      throw new IllegalArgumentException("maxRecordBytes must be in 1.." + MAX_RECORD_BYTES + ", but was " + maxRecordBytes);
    }
    if (maxBatchBytes < maxRecordBytes + 1L) {
      throw new IllegalArgumentException("maxBatchBytes (" + maxBatchBytes + ") must hold at least one record of maxRecordBytes ("
          + maxRecordBytes + ") plus its newline");
    }
    if (startOffset < 0) {
      throw new IllegalArgumentException("startOffset must be >= 0, but was " + startOffset);
    }
  }

  /**
   * 1000 records or 4 MiB per batch, records up to 1 MiB, offsets from 0.
   *
   * @return the options
   */
  public static WriterOptions defaults() {
    return new WriterOptions(1000, DEFAULT_BATCH_BYTES, MAX_RECORD_BYTES, 0);
  }

  /**
   * Frontier slots: 5000 requests per batch, as the official client.
   *
   * @return the options
   */
  public static WriterOptions frontierDefaults() {
    return new WriterOptions(5000, DEFAULT_BATCH_BYTES, MAX_RECORD_BYTES, 0);
  }

  /**
   * The same options with another record limit.
   *
   * @param n records per batch
   * @return new options
   */
  public WriterOptions withMaxRecords(int n) {
    return new WriterOptions(n, maxBatchBytes, maxRecordBytes, startOffset);
  }

  /**
   * The same options with another byte limit.
   *
   * @param n bytes per batch
   * @return new options
   */
  public WriterOptions withMaxBatchBytes(long n) {
    return new WriterOptions(maxRecords, n, maxRecordBytes, startOffset);
  }

  /**
   * The same options with another record size limit (the batch limit raised above it if needed).
   *
   * @param n the largest record's bytes
   * @return new options
   */
  public WriterOptions withMaxRecordBytes(int n) {
    return new WriterOptions(maxRecords, Math.max(maxBatchBytes, n + 1L), n, startOffset);
  }

  /**
   * The same options with another first offset.
   *
   * @param n offset of the first record
   * @return new options
   */
  public WriterOptions withStartOffset(long n) {
    return new WriterOptions(maxRecords, maxBatchBytes, maxRecordBytes, n);
  }
}
