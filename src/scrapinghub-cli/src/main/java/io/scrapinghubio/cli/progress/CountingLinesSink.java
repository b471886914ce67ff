package io.scrapinghubio.cli.progress;

import io.scrapinghubio.cli.format.RecordFormat;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import org.apache.beam.sdk.io.FileIO;

/**
 * A file sink of records ({@link RecordFormat}: JSON lines, CSV with its header row first, Parquet),
 * counting what it writes ({@link WrittenCounts}). Counting in the sink adds no step to the pipeline
 * (the writer is already there), and counts what reached the files rather than what was read.
 */
public final class CountingLinesSink<T> implements FileIO.Sink<T> {
  private static final long serialVersionUID = 1L;
  private static final int BUFFER_BYTES = 1 << 16;

  private final RecordFormat<T> format;
  private final String countsId;
  private transient OutputStream out;
  private transient RecordFormat.RecordFile<T> file;
  private transient WrittenCounts counts;

  public CountingLinesSink(RecordFormat<T> format, String countsId) {
    this.format = format;
    this.countsId = countsId;
  }

  @Override
  public void open(WritableByteChannel channel) throws IOException {
    counts = WrittenCounts.of(countsId);
    out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_BYTES);
    file = format.open(out);
  }

  @Override
  public void write(T record) throws IOException {
    counts.line(file.write(record));
  }

  @Override
  public void flush() throws IOException {
    // FileIO calls this once, before it closes the channel itself: the file is complete here. What
    // finishing adds (a Parquet footer, the correction of a row group's estimated size) is not
    // counted: FileIO may close a file outside the step's metrics scope, where a counter is lost.
    file.finish();
    out.flush();
    counts.showPending();
  }
}
