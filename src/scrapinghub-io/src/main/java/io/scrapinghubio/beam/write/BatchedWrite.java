package io.scrapinghubio.beam.write;

import io.scrapinghubio.beam.failure.ScrapinghubFailure;
import io.scrapinghubio.beam.failure.BadRecords;

import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.client.write.WriterOptions;
import java.time.Duration;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupIntoBatches;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * What the writes share: connection, project, batching, uploads in flight, time-based flushing
 * and the failure policy. Every {@code withX()} returns a new instance and rejects bad values at
 * once, naming them; the API key never appears in display data.
 *
 * <h2>How records are batched</h2>
 * <ul>
 *   <li><b>Bounded input</b> (default): records are buffered per destination within a bundle and
 *       uploaded at {@link #withMaxBatchRecords} records or {@link #withMaxBatchBytes} bytes; up to
 *       {@link #withMaxUploadsInFlight} uploads per DoFn instance run while the worker goes on
 *       batching; the bundle ends only when all are acknowledged.
 *   <li><b>Unbounded input, or {@link #withMaxBufferingDuration}</b>: records are keyed by
 *       destination and one of {@link #withShards} shards and grouped with {@code GroupIntoBatches}
 *       (by count and bytes, and flushed after the buffering duration), so any windowing works and
 *       a slow stream is still written within that time.
 * </ul>
 *
 * @param <T> input element type
 * @param <S> the concrete transform, returned by the {@code withX()} methods
 */
public abstract class BatchedWrite<T, S extends BatchedWrite<T, S>> extends PTransform<PCollection<T>, WriteResult> {
  private static final long serialVersionUID = 1L;

  /**
   * The write's settings, shared by the collection and frontier writes.
   *
   * @return connection, project, batching, flushing and failure settings
   */
  abstract WriteConfig config();

  abstract S withConfig(WriteConfig config);

  /** The target, or an exception naming the missing setting. */
  abstract WriteTarget checkedTarget();

  /** The {@code ScrapinghubIO} method this write comes from, for error messages: {@code writeToCollection()}... */
  abstract String entryPoint();

  abstract RecordFormat<T> recordFormat();

  // ---- connection ----

  /**
   * How to reach Scrapy Cloud (endpoints, API key, timeouts, retries); default
   * {@code ScrapinghubIO.connection()}. Uploads follow its retry policy (default: 8 attempts, 1 s
   * doubling to 60 s, 10 minutes in all; 429/5xx/resets).
   *
   * @param connection endpoints, key source, timeouts and retry policy
   * @return a new transform with this setting
   */
  public S withConnection(ScrapinghubConnection connection) {
    if (connection == null) {
      throw new IllegalArgumentException("connection must be a ScrapinghubConnection such as ScrapinghubIO.connection(), but was null");
    }
    return withConfig(config().toBuilder().setConnection(connection).build());
  }

  /**
   * The project (numeric id) that owns the collection or frontier. Required.
   *
   * @param projectId a positive project id
   * @return a new transform with this setting
   */
  public S withProject(long projectId) {
    if (projectId <= 0) {
      throw new IllegalArgumentException("project id must be a positive integer, but was " + projectId);
    }
    return withConfig(config().toBuilder().setProject(projectId).build());
  }

  // ---- batching ----

  /**
   * Records per upload (1..100000; default 1000 for collections, 5000 for frontiers as the official
   * client).
   *
   * @param n records, 1 to 100000
   * @return a new transform with this setting
   */
  public S withMaxBatchRecords(int n) {
    if (n < 1 || n > 100_000) {
      throw new IllegalArgumentException("max batch records must be in 1..100000, but was " + n);
    }
    return withConfig(config().toBuilder().setMaxBatchRecords(n).build());
  }

  /**
   * Bytes per upload (JSON lines plus newlines; 1 KiB..64 MiB, default 4 MiB). A record larger
   * than this (at most 1 MiB, see {@link ScrapinghubFailure.Kind#VALUE_TOO_LARGE}) is sent alone.
   *
   * @param n bytes, 1 KiB to 64 MiB
   * @return a new transform with this setting
   */
  public S withMaxBatchBytes(long n) {
    if (n < 1024 || n > (64L << 20)) {
      throw new IllegalArgumentException("max batch bytes must be in 1024.." + (64L << 20) + ", but was " + n);
    }
    return withConfig(config().toBuilder().setMaxBatchBytes(n).build());
  }

  /**
   * Uploads outstanding per DoFn instance (1..64, default 4); the worker keeps batching while they
   * are acknowledged.
   *
   * @param n uploads, 1 to 64
   * @return a new transform with this setting
   */
  public S withMaxUploadsInFlight(int n) {
    if (n < 1 || n > 64) {
      throw new IllegalArgumentException("max uploads in flight must be in 1..64, but was " + n);
    }
    return withConfig(config().toBuilder().setMaxUploadsInFlight(n).build());
  }

  /**
   * Flush a partial batch once its oldest record has waited this long: switches to
   * {@code GroupIntoBatches} over sharded keys. Used for every unbounded input (default 1 s there).
   *
   * @param d a positive duration
   * @return a new transform with this setting
   */
  public S withMaxBufferingDuration(Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("max buffering duration must be positive, but was " + d);
    }
    return withConfig(config().toBuilder().setMaxBufferingDuration(d).build());
  }

  /**
   * Keys per destination for {@code GroupIntoBatches} (1..1024, default 4): bounds parallel uploads
   * per destination and window.
   *
   * @param n shards, 1 to 1024
   * @return a new transform with this setting
   */
  public S withShards(int n) {
    if (n < 1 || n > 1024) {
      throw new IllegalArgumentException("shards must be in 1..1024, but was " + n);
    }
    return withConfig(config().toBuilder().setShards(n).build());
  }

  /**
   * Sends each record that can never be stored to {@code handler}, as a Beam {@link BadRecord},
   * and writes the others: a record refused before upload (over 1 MiB once encoded, no key, not
   * JSON, an invalid slot) or by the service (HTTP 400/413, isolated by halving its batch). The
   * bad record holds the record as it would have been sent (its JSON line, or the JSON string of a
   * key to delete; encoded with {@code StringUtf8Coder}), and a description naming the kind
   * ({@code VALUE_TOO_LARGE}, {@code MISSING_KEY}, {@code INVALID_RECORD}, {@code BAD_REQUEST}),
   * the destination, the HTTP status when the service answered one, and the reason:
   * {@code <KIND> writing to <destination>[ (HTTP n)]: <reason>}, which
   * {@link io.scrapinghubio.beam.failure.ScrapinghubFailure#of(BadRecord) ScrapinghubFailure.of(badRecord)} reads back as data. They are
   * counted in {@code write_failed_records} (and per kind). Without a handler the first such
   * record fails the pipeline with that description. Failures that a retry may cure (429, 5xx,
   * dropped connections) are retried per the connection's policy first and are never routed.
   *
   * @param handler where bad records go, from {@code pipeline.registerBadRecordErrorHandler(sink)}; not null
   * @return a new transform with this setting
   */
  public S withBadRecordErrorHandler(ErrorHandler<BadRecord, ?> handler) {
    BadRecords.checkHandler(handler, "ScrapinghubIO." + entryPoint());
    return withConfig(config().toBuilder().setBadRecordErrorHandler(handler).setRoutesFailures(true).build());
  }

  /**
   * How often each worker logs a progress line (default 30 s).
   *
   * @param d a positive interval
   * @return a new transform with this setting
   */
  public S withProgressInterval(Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("progress interval must be positive, but was " + d);
    }
    return withConfig(config().toBuilder().setProgressInterval(d).build());
  }

  /** Tests only: send records without the size and key checks, so the service refuses them. */
  S withoutClientChecks() {
    return withConfig(config().toBuilder().setClientChecks(false).build());
  }

  @Override
  public WriteResult expand(PCollection<T> input) {
    WriteConfig config = config().forWorkers();
    ErrorHandler<BadRecord, ?> badRecords = config().badRecordErrorHandler();
    WriteTarget target = checkedTarget();
    if (config.project() == 0) {
      // Named by what the user called (ScrapinghubIO.writeToCollection()...), not by AutoValue's generated class.
      throw new IllegalArgumentException("ScrapinghubIO." + entryPoint() + " needs withProject(id)");
    }
    String progress = (target.kind() == WriteTarget.Kind.DELETE ? "delete " : "write ") + target;
    boolean streaming = input.isBounded() == PCollection.IsBounded.UNBOUNDED || config.maxBufferingDuration() != null;
    PCollection<FailedRecord> failed;
    if (!streaming) {
      failed = input.apply("WriteBatches", ParDo.of(new BundleWriteFn<>(config, target, recordFormat(), progress)));
    } else {
      Duration buffering = config.maxBufferingDuration() != null ? config.maxBufferingDuration() : WriteConfig.DEFAULT_STREAMING_BUFFERING;
      PCollectionTuple encoded = input.apply("Encode", ParDo.of(new EncodeForBatchesFn<>(config, target, recordFormat()))
          .withOutputTags(EncodeForBatchesFn.ENCODED, TupleTagList.of(EncodeForBatchesFn.FAILED)));
      PCollection<FailedRecord> uploadFailures = encoded.get(EncodeForBatchesFn.ENCODED)
          .setCoder(KvCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of()))
          .apply("GroupIntoBatches", GroupIntoBatches.<String, byte[]>ofSize(config.maxBatchRecords())
              .withByteSize(config.maxBatchBytes(), line -> (long) line.length + 1)
              .withMaxBufferingDuration(org.joda.time.Duration.millis(buffering.toMillis())))
          .apply("UploadBatches", ParDo.of(new UploadBatchesFn(config, target, progress)));
      failed = PCollectionList.of(encoded.get(EncodeForBatchesFn.FAILED).setCoder(FailedRecordCoder.of()))
          .and(uploadFailures.setCoder(FailedRecordCoder.of()))
          .apply("Failures", Flatten.pCollections());
    }
    failed.setCoder(FailedRecordCoder.of());
    if (badRecords != null) {
      badRecords.addErrorCollection(failed
          .apply("ToBadRecords", ParDo.of(new ToBadRecordFn()))
          .setCoder(BadRecord.getCoder(input.getPipeline())));
    }
    return WriteResult.of(input.getPipeline());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder b) {
    super.populateDisplayData(b);
    config().populateDisplayData(b);
    b.add(DisplayData.item("input", recordFormat().describe()).withLabel("Input records"));
    b.add(DisplayData.item("maxRecordBytes", (long) WriterOptions.MAX_RECORD_BYTES).withLabel("Max encoded record size"));
  }

}
