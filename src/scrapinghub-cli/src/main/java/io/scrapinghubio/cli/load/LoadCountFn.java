package io.scrapinghubio.cli.load;

import io.scrapinghubio.beam.metrics.ClientMetrics;
import io.scrapinghubio.cli.progress.WrittenCounts;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.values.Row;

/**
 * Counts what passes on its way to a table: rows to the items' table (as the written records of
 * {@link WrittenCounts}, so the live display and the summary read them as they read an export's), or
 * records that did not convert, to the failures table (a counter of their own).
 */
final class LoadCountFn<T> extends DoFn<T, T> {
  private static final long serialVersionUID = 1L;
  /** The connector's namespace: {@code PipelineCounters} reads the summary's counters from it. */
  static final String FAILURES = "load_failed_records";

  private final String countsId;
  /** Rows when true, failures when false. */
  private final boolean rows;
  private final Counter failures = Metrics.counter(ClientMetrics.NAMESPACE, FAILURES);
  private transient WrittenCounts written;

  private LoadCountFn(String countsId, boolean rows) {
    this.countsId = countsId;
    this.rows = rows;
  }

  static LoadCountFn<Row> rows(String countsId) {
    return new LoadCountFn<>(countsId, true);
  }

  static LoadCountFn<BadRecord> failures(String countsId) {
    return new LoadCountFn<>(countsId, false);
  }

  @Setup
  public void setup() {
    written = WrittenCounts.of(countsId);
  }

  @ProcessElement
  public void process(@Element T element, OutputReceiver<T> out) {
    if (rows) {
      // A row has no bytes of its own to show: the display counts rows only.
      written.counted(1, 0);
      written.shown(1, 0);
    } else {
      failures.inc();
    }
    out.output(element);
  }
}
