package io.scrapinghubio.beam.write;


import io.scrapinghubio.beam.metrics.ClientMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Instant;

/**
 * The DoFns of the time-flushed path ({@code withMaxBufferingDuration}, and every unbounded
 * input): {@link EncodeFn} checks and encodes each element and keys it by {@code shard/destination};
 * {@code GroupIntoBatches} then buffers per key (and window) up to a batch's records or bytes, or
 * until the buffering time passes; {@link UploadBatchesFn} uploads the batches.
 */
final class StreamingFns {
  private StreamingFns() {}

  static final TupleTag<KV<String, byte[]>> ENCODED = new TupleTag<>() {};
  static final TupleTag<FailedRecord> FAILED = new TupleTag<>() {};

  static String key(int shard, String destination) {
    return shard + "/" + destination;
  }

  static String destination(String key) {
    return key.substring(key.indexOf('/') + 1);
  }

  static final class EncodeFn<T> extends DoFn<T, KV<String, byte[]>> {
    private static final long serialVersionUID = 1L;
    private final WriteConfig config;
    private final WriteTarget target;
    private final RecordFormat<T> format;
    private transient int next;

    EncodeFn(WriteConfig config, WriteTarget target, RecordFormat<T> format) {
      this.config = config;
      this.target = target;
      this.format = format;
    }

    @Setup
    public void setup() {
      next = ThreadLocalRandom.current().nextInt(config.shards());
    }

    @ProcessElement
    public void process(@Element T element, MultiOutputReceiver out) {
      FailedRecord[] failed = new FailedRecord[1];
      EncodedRecord r = checker().encode(format, config, element, f -> failed[0] = f);
      if (r == null) {
        out.get(FAILED).output(failed[0]);
        return;
      }
      next = (next + 1) % config.shards();
      out.get(ENCODED).output(KV.of(key(next, r.destination()), r.line()));
    }

    private transient Checker checker;

    private Checker checker() {
      if (checker == null) {
        checker = new Checker(target);
      }
      return checker;
    }
  }

  /** The checks of {@link WriterSession#encode} without a client (the encode step makes no requests). */
  static final class Checker {
    private final WriteTarget target;
    private final String prefix;

    Checker(WriteTarget target) {
      this.target = target;
      this.prefix = target.kind() == WriteTarget.Kind.DELETE ? "delete" : "write";
    }

    <T> EncodedRecord encode(RecordFormat<T> format, WriteConfig config, T element, java.util.function.Consumer<FailedRecord> onFailure) {
      return WriterSession.check(format, config, target, element, f -> {
        Metrics.counter(ClientMetrics.NAMESPACE, prefix + "_failed_records").inc();
        Metrics.counter(ClientMetrics.NAMESPACE, prefix + "_failed_" + f.kind().name().toLowerCase(java.util.Locale.ROOT)).inc();
        onFailure.accept(f);
      });
    }
  }

  static final class UploadBatchesFn extends DoFn<KV<String, Iterable<byte[]>>, FailedRecord> {
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
      String destination = destination(batch.getKey());
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
      try {
        for (UploadEngine.Failure f : session.engine.finish()) {
          session.failed(f.record());
          ctx.output(f.record(), f.timestamp(), f.window());
        }
      } finally {
        session.publish();
      }
    }

    @Teardown
    public void teardown() {
      if (session != null) {
        session.close();
      }
    }
  }
}
