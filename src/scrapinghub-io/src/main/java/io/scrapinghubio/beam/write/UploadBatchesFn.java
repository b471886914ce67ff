package io.scrapinghubio.beam.write;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;

/**
 * The last step of the time-flushed write path: uploads the batches {@code GroupIntoBatches} made
 * of {@link EncodeForBatchesFn}'s lines, each cut to the batch limits, and emits the records the
 * service refused at the end of the bundle.
 */
final class UploadBatchesFn extends DoFn<KV<String, Iterable<byte[]>>, FailedRecord> {
  private static final long serialVersionUID = 1L;
  private final WriteConfig config;
  private final WriteTarget target;
  private final String progressName;
  private transient WriterSession session;

  UploadBatchesFn(WriteConfig config, WriteTarget target, String progressName) {
    this.config = config;
    this.target = target;
    this.progressName = progressName;
  }

  @Setup
  public void setup() {
    session = new WriterSession(config, target, progressName);
  }

  @StartBundle
  public void startBundle() {
    session.engine.startBundle();
  }

  @ProcessElement
  public void process(@Element KV<String, Iterable<byte[]>> batch, @Timestamp Instant ts, BoundedWindow window) {
    String destination = EncodeForBatchesFn.destination(batch.getKey());
    List<UploadEngine.Pending> out = new ArrayList<>();
    long bytes = 0;
    for (byte[] line : batch.getValue()) {
      if (!out.isEmpty() && (out.size() >= config.maxBatchRecords() || bytes + line.length + 1 > config.maxBatchBytes())) {
        session.engine.submit(destination, out);
        out = new ArrayList<>();
        bytes = 0;
      }
      out.add(new UploadEngine.Pending(line, ts, window));
      bytes += line.length + 1;
    }
    if (!out.isEmpty()) {
      session.engine.submit(destination, out);
    }
    session.publish();
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext ctx) {
    session.finishBundle(ctx);
  }

  @Teardown
  public void teardown() {
    if (session != null) {
      session.close();
    }
  }
}
