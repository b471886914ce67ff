package io.scrapinghubio.beam.write;


import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * Per-bundle batching (the default for bounded inputs): encodes and checks each element, buffers
 * records per destination (frontier slot), seals a batch at {@code maxBatchRecords} records or
 * {@code maxBatchBytes} bytes and hands it to the {@link UploadEngine}, which keeps up to
 * {@code maxUploadsInFlight} uploads going while this thread goes on. {@code @FinishBundle} seals
 * what is left, waits for every upload and emits the refused records; if an upload failed for
 * good it throws, so the runner retries the bundle.
 *
 * <p>Output: the refused records, in the window and with the timestamp of their element.
 */
final class BundleWriteFn<T> extends DoFn<T, FailedRecord> {
  private static final long serialVersionUID = 1L;

  private final WriteConfig config;
  private final WriteTarget target;
  private final RecordFormat<T> format;
  private final String progressName;

  private transient WriterSession session;
  private transient Map<String, Buffer> buffers;
  private transient long bufferedBytes;
  private transient int bufferedRecords;
  private transient long seen;

  private static final class Buffer {
    List<UploadEngine.Pending> records = new ArrayList<>();
    long bytes;
  }

  BundleWriteFn(WriteConfig config, WriteTarget target, RecordFormat<T> format, String progressName) {
    this.config = config;
    this.target = target;
    this.format = format;
    this.progressName = progressName;
  }

  @Setup
  public void setup() {
    session = new WriterSession(config, target, progressName);
    buffers = new LinkedHashMap<>();
  }

  @StartBundle
  public void startBundle() {
    buffers.clear();
    bufferedBytes = 0;
    bufferedRecords = 0;
    session.engine.startBundle();
  }

  @ProcessElement
  public void process(@Element T element, @Timestamp Instant ts, BoundedWindow window, OutputReceiver<FailedRecord> out) {
    EncodedRecord r = session.encode(format, config, element, out::output);
    if (r != null) {
      add(r, ts, window);
    }
    if ((++seen & 1023) == 0) {
      session.publish();
    }
  }

  private void add(EncodedRecord r, Instant ts, BoundedWindow window) {
    Buffer b = buffers.computeIfAbsent(r.destination(), d -> new Buffer());
    long size = r.line().length + 1L;
    if (!b.records.isEmpty() && b.bytes + size > config.maxBatchBytes()) {
      seal(r.destination(), b);
    }
    b.records.add(new UploadEngine.Pending(r.line(), ts, window));
    b.bytes += size;
    bufferedBytes += size;
    bufferedRecords++;
    if (b.records.size() >= config.maxBatchRecords()) {
      seal(r.destination(), b);
    }
    // Many destinations (e.g. one frontier slot per host) can each hold a partial batch: bound the total.
    if (bufferedBytes > 4 * config.maxBatchBytes() || bufferedRecords > 4 * config.maxBatchRecords()) {
      sealAll();
    }
  }

  private void seal(String destination, Buffer b) {
    if (b.records.isEmpty()) {
      return;
    }
    List<UploadEngine.Pending> batch = b.records;
    bufferedBytes -= b.bytes;
    bufferedRecords -= batch.size();
    b.records = new ArrayList<>();
    b.bytes = 0;
    session.engine.submit(destination, batch);
  }

  private void sealAll() {
    for (Iterator<Map.Entry<String, Buffer>> it = buffers.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Buffer> e = it.next();
      seal(e.getKey(), e.getValue());
      it.remove();
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext ctx) {
    try {
      sealAll();
    } catch (RuntimeException | Error e) {
      session.publish(); // what was sent before the failure still counts
      throw e;
    }
    session.finishBundle(ctx);
  }

  @Teardown
  public void teardown() {
    if (session != null) {
      session.close();
    }
  }
}
