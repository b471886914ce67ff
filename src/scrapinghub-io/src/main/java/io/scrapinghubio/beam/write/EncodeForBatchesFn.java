package io.scrapinghubio.beam.write;

import io.scrapinghubio.beam.metrics.ClientMetrics;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The first step of the time-flushed write path ({@code withMaxBufferingDuration}, and every
 * unbounded input): checks and encodes each element and keys it by {@code shard/destination};
 * {@code GroupIntoBatches} then buffers per key (and window) up to a batch's records or bytes, or
 * until the buffering time passes, and {@link UploadBatchesFn} uploads the batches.
 */
final class EncodeForBatchesFn<T> extends DoFn<T, KV<String, byte[]>> {
  private static final long serialVersionUID = 1L;
  /** Each element's JSON line, keyed by {@code shard/destination} for {@code GroupIntoBatches}. */
  static final TupleTag<KV<String, byte[]>> ENCODED = new TupleTag<>() {};
  /** Elements refused by the checks (too big, not JSON...). */
  static final TupleTag<FailedRecord> FAILED = new TupleTag<>() {};
  private final WriteConfig config;
  private final WriteTarget target;
  private final RecordFormat<T> format;
  private transient int next;

  EncodeForBatchesFn(WriteConfig config, WriteTarget target, RecordFormat<T> format) {
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

  /** The batching key: the shard spreads one destination's batches over workers. */
  static String key(int shard, String destination) {
    return shard + "/" + destination;
  }

  /** The destination a {@link #key} names. */
  static String destination(String key) {
    return key.substring(key.indexOf('/') + 1);
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
}
