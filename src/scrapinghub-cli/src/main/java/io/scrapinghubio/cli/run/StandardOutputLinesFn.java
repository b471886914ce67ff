package io.scrapinghubio.cli.run;

import io.scrapinghubio.beam.metrics.ClientMetrics;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import io.scrapinghubio.cli.progress.CountingJsonLinesSink;
import io.scrapinghubio.cli.progress.LiveCounts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Writes each record's stored JSON, as it is, as one line of the command's standard output (see
 * {@link StandardOutputLines}), counted as the file sink counts: into the live display and into the
 * pipeline's written-records and written-bytes counters.
 *
 * <p>Each worker gathers its lines and hands them over about {@value #BATCH_BYTES} bytes at a
 * time, and at the end of each bundle: one lock and one system call per batch, not per record,
 * and a line on the screen within a bundle of being read.
 */
final class StandardOutputLinesFn extends DoFn<ScrapinghubRecord, Void> {
  private static final long serialVersionUID = 1L;
  private static final int BATCH_BYTES = 1 << 16;

  private final String outputId;
  private final String countsId;
  private transient StandardOutputLines output;
  private transient LiveCounts counts;
  private transient ByteArrayOutputStream batch;
  private transient long batchRecords;
  private transient Counter writtenRecords;
  private transient Counter writtenBytes;

  StandardOutputLinesFn(String outputId, String countsId) {
    this.outputId = outputId;
    this.countsId = countsId;
  }

  @Setup
  public void setup() {
    output = StandardOutputLines.inThisJvm(outputId);
    if (output == null) {
      throw new IllegalStateException("--output=- writes to the command's standard output, which this worker "
          + "cannot reach: it runs in another JVM than the command; use a runner in this JVM (embedded Flink or "
          + "--runner=direct) or an output directory");
    }
    counts = LiveCounts.inThisJvm(countsId);
    batch = new ByteArrayOutputStream(BATCH_BYTES + (BATCH_BYTES >> 2));
    writtenRecords = Metrics.counter(ClientMetrics.NAMESPACE, CountingJsonLinesSink.WRITTEN_RECORDS);
    writtenBytes = Metrics.counter(ClientMetrics.NAMESPACE, CountingJsonLinesSink.WRITTEN_BYTES);
  }

  @ProcessElement
  public void process(@Element ScrapinghubRecord record) throws IOException {
    batch.write(record.jsonUtf8());
    batch.write('\n');
    batchRecords++;
    if (batch.size() >= BATCH_BYTES) {
      handOver();
    }
  }

  @FinishBundle
  public void finishBundle() throws IOException {
    handOver();
  }

  private void handOver() throws IOException {
    if (batchRecords == 0) {
      return;
    }
    output.write(batch.toByteArray(), batch.size());
    if (counts != null) {
      counts.written(batchRecords, batch.size());
    }
    writtenRecords.inc(batchRecords);
    writtenBytes.inc(batch.size());
    batch.reset();
    batchRecords = 0;
  }
}
