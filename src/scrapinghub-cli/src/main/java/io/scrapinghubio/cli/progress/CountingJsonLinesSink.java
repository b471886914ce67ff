package io.scrapinghubio.cli.progress;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.read.JsonLinesSink;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import org.apache.beam.sdk.io.FileIO;

/**
 * The connector's JSON-lines sink, counting what it writes ({@link WrittenCounts}). Counting in the
 * sink adds no step to the pipeline (the writer is already there), and counts what reached the
 * files rather than what was read.
 */
public final class CountingJsonLinesSink implements FileIO.Sink<ScrapinghubRecord> {
  private static final long serialVersionUID = 1L;
  /** Records between two updates of the live display, shared by every worker of this JVM. */
  private static final int BATCH = 256;

  private final JsonLinesSink delegate = ScrapinghubIO.jsonLinesSink();
  private final String countsId;
  private transient WrittenCounts counts;
  private transient long pendingRecords;
  private transient long pendingBytes;

  public CountingJsonLinesSink(String countsId) {
    this.countsId = countsId;
  }

  @Override
  public void open(WritableByteChannel channel) throws IOException {
    counts = WrittenCounts.of(countsId);
    delegate.open(channel);
  }

  @Override
  public void write(ScrapinghubRecord record) throws IOException {
    delegate.write(record);
    long lineBytes = record.jsonUtf8().length + 1; // and its newline
    // The pipeline's counters per record: FileIO may close (flush) a writer outside the step's
    // metrics scope, where an increment would be lost.
    counts.counted(1, lineBytes);
    if (counts.shownLive()) {
      pendingRecords++;
      pendingBytes += lineBytes;
      if (pendingRecords >= BATCH) {
        flushShown();
      }
    }
  }

  @Override
  public void flush() throws IOException {
    delegate.flush();
    flushShown();
  }

  private void flushShown() {
    counts.shown(pendingRecords, pendingBytes);
    pendingRecords = 0;
    pendingBytes = 0;
  }
}
