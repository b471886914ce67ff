package io.scrapinghubio.cli.progress;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.metrics.ClientMetrics;
import io.scrapinghubio.beam.read.JsonLinesSink;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * The connector's JSON-lines sink, counting what it writes into the command's {@link LiveCounts}
 * (the live display, in this JVM) and into the pipeline's counters {@value #WRITTEN_RECORDS} and
 * {@value #WRITTEN_BYTES} (the summary, from any runner). Counting in the sink adds no step to the
 * pipeline (the writer is already there), and counts what reached the files, newlines included,
 * rather than what was read: the display, the summary and {@code du} agree. The display's counts
 * (shared by every worker of this JVM, absent on a remote cluster's) are updated in batches.
 */
public final class CountingJsonLinesSink implements FileIO.Sink<ScrapinghubRecord> {
  private static final long serialVersionUID = 1L;
  private static final int BATCH = 256;
  public static final String WRITTEN_RECORDS = "written_records";
  public static final String WRITTEN_BYTES = "written_bytes";

  private final JsonLinesSink delegate = ScrapinghubIO.jsonLinesSink();
  private final String countsId;
  private transient LiveCounts counts;
  private transient Counter writtenRecords;
  private transient Counter writtenBytes;
  private transient long pendingRecords;
  private transient long pendingBytes;

  public CountingJsonLinesSink(String countsId) {
    this.countsId = countsId;
  }

  @Override
  public void open(WritableByteChannel channel) throws IOException {
    counts = LiveCounts.inThisJvm(countsId);
    writtenRecords = Metrics.counter(ClientMetrics.NAMESPACE, WRITTEN_RECORDS);
    writtenBytes = Metrics.counter(ClientMetrics.NAMESPACE, WRITTEN_BYTES);
    delegate.open(channel);
  }

  @Override
  public void write(ScrapinghubRecord record) throws IOException {
    delegate.write(record);
    long lineBytes = record.jsonUtf8().length + 1; // and its newline
    // Beam's counters per record: FileIO may close (flush) a writer outside the step's metrics
    // scope, where an increment would be lost.
    writtenRecords.inc();
    writtenBytes.inc(lineBytes);
    if (counts != null) {
      pendingRecords++;
      pendingBytes += lineBytes;
      if (pendingRecords >= BATCH) {
        publish();
      }
    }
  }

  @Override
  public void flush() throws IOException {
    delegate.flush();
    if (counts != null) {
      publish();
    }
  }

  private void publish() {
    counts.written(pendingRecords, pendingBytes);
    pendingRecords = 0;
    pendingBytes = 0;
  }
}
