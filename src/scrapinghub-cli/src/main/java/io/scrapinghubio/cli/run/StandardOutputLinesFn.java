package io.scrapinghubio.cli.run;

import io.scrapinghubio.cli.format.RecordLines;
import io.scrapinghubio.cli.progress.WrittenCounts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Writes each record as one line ({@link RecordLines}: its stored JSON as it is, a CSV row) of the command's standard output (see
 * {@link StandardOutputLines}), counted as the file sink counts ({@link WrittenCounts}).
 *
 * <p>Each worker gathers its lines and hands them over about {@value #BATCH_BYTES} bytes at a
 * time, and at the end of each bundle: one lock and one system call per batch, not per record,
 * and a line on the screen within a bundle of being read.
 */
final class StandardOutputLinesFn<T> extends DoFn<T, Void> {
  private static final long serialVersionUID = 1L;
  private static final int BATCH_BYTES = 1 << 16;

  private final String outputId;
  private final RecordLines<T> lines;
  private final String countsId;
  private transient StandardOutputLines output;
  private transient WrittenCounts counts;
  private transient ByteArrayOutputStream batch;
  private transient long batchRecords;

  StandardOutputLinesFn(String outputId, RecordLines<T> lines, String countsId) {
    this.outputId = outputId;
    this.lines = lines;
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
    counts = WrittenCounts.of(countsId);
    batch = new ByteArrayOutputStream(BATCH_BYTES + (BATCH_BYTES >> 2));
  }

  @ProcessElement
  public void process(@Element T record) throws IOException {
    lines.write(record, batch);
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
    counts.counted(batchRecords, batch.size());
    counts.shown(batchRecords, batch.size());
    batch.reset();
    batchRecords = 0;
  }
}
