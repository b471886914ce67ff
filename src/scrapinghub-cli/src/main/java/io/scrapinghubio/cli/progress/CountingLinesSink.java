package io.scrapinghubio.cli.progress;

import io.scrapinghubio.cli.format.RecordLines;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import org.apache.beam.sdk.io.FileIO;

/**
 * A file sink of records as lines ({@link RecordLines}: JSON lines, CSV with its header row first),
 * counting what it writes ({@link WrittenCounts}). Counting in the sink adds no step to the pipeline
 * (the writer is already there), and counts what reached the files rather than what was read.
 */
public final class CountingLinesSink<T> implements FileIO.Sink<T> {
  private static final long serialVersionUID = 1L;
  /** Records between two updates of the live display, shared by every worker of this JVM. */
  private static final int BATCH = 256;
  private static final int BUFFER_BYTES = 1 << 16;

  private final RecordLines<T> lines;
  private final String countsId;
  private transient OutputStream out;
  private transient WrittenCounts counts;
  private transient long pendingRecords;
  private transient long pendingBytes;

  public CountingLinesSink(RecordLines<T> lines, String countsId) {
    this.lines = lines;
    this.countsId = countsId;
  }

  @Override
  public void open(WritableByteChannel channel) throws IOException {
    counts = WrittenCounts.of(countsId);
    out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_BYTES);
    out.write(lines.header());
  }

  @Override
  public void write(T record) throws IOException {
    long lineBytes = lines.write(record, out);
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
    out.flush(); // the channel itself is closed by FileIO
    flushShown();
  }

  private void flushShown() {
    counts.shown(pendingRecords, pendingBytes);
    pendingRecords = 0;
    pendingBytes = 0;
  }
}
