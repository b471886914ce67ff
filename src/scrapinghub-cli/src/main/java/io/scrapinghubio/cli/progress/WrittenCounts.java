package io.scrapinghubio.cli.progress;

import io.scrapinghubio.beam.metrics.ClientMetrics;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * What one writer (a file sink, the stdout writer) has written, counted twice: into the pipeline's
 * counters {@value #RECORDS} and {@value #BYTES}, which the summary reads from any runner, and into
 * the command's {@link LiveCounts}, which the live display reads in this JVM (absent on a remote
 * cluster's workers). Bytes are the lines' bytes, newlines included, so that display, summary and
 * the output's size agree.
 */
public final class WrittenCounts {
  public static final String RECORDS = "written_records";
  public static final String BYTES = "written_bytes";
  /** Lines between two updates of the live display. */
  private static final int LIVE_BATCH = 256;

  private final Counter records = Metrics.counter(ClientMetrics.NAMESPACE, RECORDS);
  private final Counter bytes = Metrics.counter(ClientMetrics.NAMESPACE, BYTES);
  private final LiveCounts live;
  /** Lines counted by {@link #line} and not yet shown. */
  private long pendingRecords;
  private long pendingBytes;

  private WrittenCounts(LiveCounts live) {
    this.live = live;
  }

  /** For a writer of run {@code countsId}: create in the worker (setup or open), not in the pipeline's graph. */
  public static WrittenCounts of(String countsId) {
    return new WrittenCounts(LiveCounts.inThisJvm(countsId));
  }

  /** {@code n} records of {@code lineBytes} in all reached the output: the pipeline's counters. */
  public void counted(long n, long lineBytes) {
    records.inc(n);
    bytes.inc(lineBytes);
  }

  /** The same for the live display, which a writer may update in batches. */
  public void shown(long n, long lineBytes) {
    if (live != null) {
      live.written(n, lineBytes);
    }
  }

  /**
   * One line of {@code lineBytes} reached the output: counted at once into the pipeline's counters
   * (a file sink may flush outside the step's metrics scope, where a batched increment would be
   * lost), and every {@value #LIVE_BATCH} lines into the live display, shared by every worker of
   * this JVM. For a writer used by one thread; call {@link #showPending()} when it flushes.
   */
  public void line(long lineBytes) {
    counted(1, lineBytes);
    if (live != null) {
      pendingRecords++;
      pendingBytes += lineBytes;
      if (pendingRecords >= LIVE_BATCH) {
        showPending();
      }
    }
  }

  /** Hands the lines {@link #line} has not yet shown to the live display. */
  public void showPending() {
    shown(pendingRecords, pendingBytes);
    pendingRecords = 0;
    pendingBytes = 0;
  }
}
