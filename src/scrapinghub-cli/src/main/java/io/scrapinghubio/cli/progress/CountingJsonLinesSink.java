package io.scrapinghubio.cli.progress;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.read.JsonLinesSink;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import org.apache.beam.sdk.io.FileIO;

/**
 * The connector's JSON-lines sink, counting what it writes into the command's {@link LiveCounts}.
 * Counting in the sink adds no step to the pipeline (the writer is already there), and counts
 * what reached the files rather than what was read. Records are counted in batches so that the
 * shared counters are not touched once per record.
 */
public final class CountingJsonLinesSink implements FileIO.Sink<ScrapinghubRecord> {
  private static final long serialVersionUID = 1L;
  private static final int BATCH = 256;

  private final JsonLinesSink delegate = ScrapinghubIO.jsonLinesSink();
  private final String countsId;
  private transient LiveCounts counts;
  private transient long pendingRecords;
  private transient long pendingBytes;

  public CountingJsonLinesSink(String countsId) {
    this.countsId = countsId;
  }

  @Override
  public void open(WritableByteChannel channel) throws IOException {
    counts = LiveCounts.inThisJvm(countsId);
    delegate.open(channel);
  }

  @Override
  public void write(ScrapinghubRecord record) throws IOException {
    delegate.write(record);
    if (counts != null) {
      pendingRecords++;
      pendingBytes += record.jsonUtf8().length;
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
