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
  private static final int BUFFER_BYTES = 1 << 16;

  private final RecordLines<T> lines;
  private final String countsId;
  private transient OutputStream out;
  private transient WrittenCounts counts;

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
    counts.line(lines.write(record, out));
  }

  @Override
  public void flush() throws IOException {
    out.flush(); // the channel itself is closed by FileIO
    counts.showPending();
  }
}
