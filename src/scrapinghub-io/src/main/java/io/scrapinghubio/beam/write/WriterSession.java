package io.scrapinghubio.beam.write;

import io.scrapinghubio.beam.failure.ScrapinghubFailure;

import io.scrapinghubio.beam.connection.SharedClient;
import io.scrapinghubio.beam.metrics.ClientMetrics;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.write.WriterOptions;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * What a writing DoFn instance owns between {@code @Setup} and {@code @Teardown}: a hold on its
 * JVM's shared client (see {@link SharedClient}), its own {@link UploadEngine}, and the metrics.
 * Also the per-record checks shared by
 * the DoFns: encoding, the 1 MiB limit, and what to do with a bad record.
 *
 * <p>Metrics ({@code ScrapinghubIO} namespace, {@code <p>} = {@code write} or {@code delete}):
 * {@code <p>_records}, {@code <p>_batches}, {@code <p>_bytes}, {@code <p>_requests},
 * {@code <p>_retries} (and per status), {@code <p>_throttled_ms}, {@code <p>_request_latency_ms},
 * {@code <p>_failed_records} (and {@code <p>_failed_<kind>}), {@code <p>_batch_splits}; frontier
 * writes also {@code frontier_newcount}, {@code frontier_duplicates} and
 * {@code frontier_unconfirmed} (see {@link WriteToFrontier}). Uploads run on the engine's threads,
 * where Beam has no metrics container, so totals are published from the DoFn's thread.
 */
final class WriterSession {
  private final WriteTarget target;
  /** Shared by every instance of this write in the JVM; its traffic feeds {@code <p>_requests}... and the progress line. */
  private final SharedClient shared;
  final ScrapinghubClient client;
  final UploadEngine engine;
  private final Counter records;
  private final Counter batches;
  private final Counter splits;
  private final Counter failed;
  /** One counter per kind of failed record, {@code <write|delete>_failed_<kind>}, made at the first such record. */
  private final Map<ScrapinghubFailure.Kind, Counter> failedByKind = new EnumMap<>(ScrapinghubFailure.Kind.class);
  private final String failedCounterPrefix;
  private final Counter newcount;
  private final Counter duplicates;
  private final Counter unconfirmed;
  private long pubRecords;
  private long pubBatches;
  private long pubSplits;
  private long pubNewcount;

  WriterSession(WriteConfig config, WriteTarget target, String progressName) {
    this.target = target;
    String p = target.kind() == WriteTarget.Kind.DELETE ? "delete" : "write";
    this.shared = SharedClient.acquire(config.connection(), p, progressName, config.progressInterval());
    this.client = shared.client();
    this.engine = new UploadEngine(client, target, config.project(), config.maxUploadsInFlight(), config.routesFailures());
    this.records = Metrics.counter(ClientMetrics.NAMESPACE, p + "_records");
    this.batches = Metrics.counter(ClientMetrics.NAMESPACE, p + "_batches");
    this.splits = Metrics.counter(ClientMetrics.NAMESPACE, p + "_batch_splits");
    this.failed = Metrics.counter(ClientMetrics.NAMESPACE, p + "_failed_records");
    this.failedCounterPrefix = p + "_failed_";
    this.newcount = Metrics.counter(ClientMetrics.NAMESPACE, "frontier_newcount");
    this.duplicates = Metrics.counter(ClientMetrics.NAMESPACE, "frontier_duplicates");
    this.unconfirmed = Metrics.counter(ClientMetrics.NAMESPACE, "frontier_unconfirmed");
  }

  /** Encodes and checks one element; counts it when refused (see {@link #check}). */
  <T> EncodedRecord encode(RecordFormat<T> format, WriteConfig config, T element, Consumer<FailedRecord> onFailure) {
    return check(format, config, target, element, f -> {
      failed(f);
      onFailure.accept(f);
    });
  }

  /**
   * Encodes and checks one element: a format error or a line over 1 MiB (UTF-8 bytes) is refused.
   *
   * @return the record, or null when it was refused and {@code onFailure} got it
   * @throws IllegalArgumentException for a refused element, when the write has no error handler
   */
  static <T> EncodedRecord check(RecordFormat<T> format, WriteConfig config, WriteTarget target, T element,
      Consumer<FailedRecord> onFailure) {
    FailedRecord f;
    try {
      EncodedRecord r = format.encode(element, config.clientChecks());
      int max = WriterOptions.MAX_RECORD_BYTES;
      if (!config.clientChecks() || r.line().length <= max) {
        return r;
      }
      f = new FailedRecord(new String(r.line(), StandardCharsets.UTF_8), ScrapinghubFailure.Kind.VALUE_TOO_LARGE,
          "the record is " + r.line().length + " bytes once encoded as UTF-8 JSON, over the service's limit of " + max
              + " bytes (1 MiB); it would make the service refuse its whole batch (HTTP 413)",
          target.describe(r.destination()), -1);
    } catch (InvalidRecordException e) {
      f = new FailedRecord(e.record(), e.kind(), e.getMessage(), target.describe(""), -1);
    }
    if (!config.routesFailures()) {
      throw new IllegalArgumentException(f.toFailure().description() + " (record: " + RecordFormat.abbreviate(f.record())
          + "). withBadRecordErrorHandler(handler) routes such records to a Beam ErrorHandler instead.");
    }
    onFailure.accept(f);
    return null;
  }

  /** Counts a refused record (call on the DoFn thread). */
  void failed(FailedRecord f) {
    failed.inc();
    failedByKind.computeIfAbsent(f.kind(), k -> Metrics.counter(ClientMetrics.NAMESPACE,
        failedCounterPrefix + k.name().toLowerCase(java.util.Locale.ROOT))).inc();
  }

  /**
   * Ends the bundle's uploads: waits for them, counts and emits each record the service refused in
   * the window it came from, and publishes the totals, whatever happened.
   */
  void finishBundle(org.apache.beam.sdk.transforms.DoFn<?, FailedRecord>.FinishBundleContext ctx) {
    try {
      for (UploadEngine.Failure f : engine.finish()) {
        failed(f.record());
        ctx.output(f.record(), f.timestamp(), f.window());
      }
    } finally {
      publish();
    }
  }

  /** Moves the engine's and the client's totals into Beam metrics (call on the DoFn thread). */
  void publish() {
    long r = engine.records.sum();
    records.inc(r - pubRecords);
    pubRecords = r;
    long b = engine.batches.sum();
    batches.inc(b - pubBatches);
    pubBatches = b;
    long s = engine.splits.sum();
    splits.inc(s - pubSplits);
    pubSplits = s;
    if (target.kind() == WriteTarget.Kind.FRONTIER) {
      long n = engine.newcount.sum();
      newcount.inc(n - pubNewcount);
      pubNewcount = n;
      long d = engine.duplicates.sum();
      duplicates.inc(d - pubDuplicates);
      pubDuplicates = d;
      long u = engine.unconfirmed.sum();
      unconfirmed.inc(u - pubUnconfirmed);
      pubUnconfirmed = u;
    }
    shared.publishMetrics();
  }

  private long pubDuplicates;
  private long pubUnconfirmed;

  void close() {
    engine.close();
    shared.release();
  }
}
