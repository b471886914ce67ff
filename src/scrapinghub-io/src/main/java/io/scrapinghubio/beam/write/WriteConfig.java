package io.scrapinghubio.beam.write;


import com.google.auto.value.AutoValue;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.client.write.WriterOptions;
import java.io.Serializable;
import java.time.Duration;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Settings shared by the writes: how to reach the service, the project, batching, uploads in
 * flight, time-based flushing and what to do with bad records. Serialisable: it travels to workers.
 */
@AutoValue
abstract class WriteConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Uploads outstanding per DoFn instance unless {@code withMaxUploadsInFlight} says otherwise. */
  public static final int DEFAULT_MAX_UPLOADS_IN_FLIGHT = 4;
  /**
   * Bytes per upload unless {@code withMaxBatchBytes} says otherwise: the client's batch writers'
   * default.
   */
  public static final long DEFAULT_MAX_BATCH_BYTES = WriterOptions.DEFAULT_BATCH_BYTES;
  /** Time-based flush used for unbounded inputs when {@code withMaxBufferingDuration} is not given. */
  public static final Duration DEFAULT_STREAMING_BUFFERING = Duration.ofSeconds(1);

  /**
   * How to reach the service.
   *
   * @return the connection
   */
  public abstract ScrapinghubConnection connection();

  /**
   * 0 = not set.
   *
   * @return the project id
   */
  public abstract long project();

  /**
   * Records per upload.
   *
   * @return the most records per batch
   */
  public abstract int maxBatchRecords();

  /**
   * Bytes per upload.
   *
   * @return the most bytes per batch
   */
  public abstract long maxBatchBytes();

  /**
   * Uploads outstanding per DoFn instance.
   *
   * @return the most uploads in flight
   */
  public abstract int maxUploadsInFlight();

  /**
   * Null: per-bundle batching (bounded inputs); set: {@code GroupIntoBatches} with this flush time.
   *
   * @return the flush time, or null
   */
  public abstract @Nullable Duration maxBufferingDuration();

  /**
   * Keys per destination for {@code GroupIntoBatches}.
   *
   * @return the shards
   */
  public abstract int shards();

  /** Where records that cannot be stored go; null: the first fails the bundle, naming it. */
  abstract @Nullable ErrorHandler<BadRecord, ?> badRecordErrorHandler();

  /**
   * Whether refused records go to the error handler; without one the first fails the bundle. Kept
   * apart from the handler, which stays at construction: see {@link #forWorkers()}.
   */
  abstract boolean routesFailures();

  /**
   * This config without the error handler, for the DoFns: the handler (and its sink, which need
   * not be serializable) belongs to pipeline construction and is never shipped to workers.
   */
  WriteConfig forWorkers() {
    return toBuilder().setBadRecordErrorHandler(null).build();
  }

  /**
   * How often each worker logs a progress line.
   *
   * @return the interval
   */
  public abstract Duration progressInterval();

  /** Checks records (size, key) before upload; off only in tests that need the server to refuse them. */
  abstract boolean clientChecks();

  abstract Builder toBuilder();

  static WriteConfig defaults(int maxBatchRecords) {
    return new AutoValue_WriteConfig.Builder()
        .setConnection(ScrapinghubConnection.create())
        .setProject(0)
        .setMaxBatchRecords(maxBatchRecords)
        .setMaxBatchBytes(DEFAULT_MAX_BATCH_BYTES)
        .setMaxUploadsInFlight(DEFAULT_MAX_UPLOADS_IN_FLIGHT)
        .setMaxBufferingDuration(null)
        .setShards(4)
        .setProgressInterval(Duration.ofSeconds(30))
        .setClientChecks(true)
        .setRoutesFailures(false)
        .build();
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setConnection(ScrapinghubConnection c);

    abstract Builder setProject(long p);

    abstract Builder setMaxBatchRecords(int n);

    abstract Builder setMaxBatchBytes(long n);

    abstract Builder setMaxUploadsInFlight(int n);

    abstract Builder setMaxBufferingDuration(@Nullable Duration d);

    abstract Builder setShards(int n);

    abstract Builder setBadRecordErrorHandler(@Nullable ErrorHandler<BadRecord, ?> h);

    abstract Builder setRoutesFailures(boolean routes);

    abstract Builder setProgressInterval(Duration d);

    abstract Builder setClientChecks(boolean on);

    abstract WriteConfig build();
  }

  void populateDisplayData(DisplayData.Builder b) {
    connection().populateDisplayData(b);
    b.add(DisplayData.item("project", project()).withLabel("Project"));
    b.add(DisplayData.item("maxBatchRecords", maxBatchRecords()).withLabel("Max records per upload"));
    b.add(DisplayData.item("maxBatchBytes", maxBatchBytes()).withLabel("Max bytes per upload"));
    b.add(DisplayData.item("maxUploadsInFlight", maxUploadsInFlight()).withLabel("Uploads in flight per worker instance"));
    if (maxBufferingDuration() != null) {
      b.add(DisplayData.item("maxBufferingDuration", maxBufferingDuration().toString()).withLabel("Max buffering time (streaming)"));
      b.add(DisplayData.item("shards", shards()).withLabel("Batching shards per destination"));
    }
    if (routesFailures()) {
      b.add(DisplayData.item("badRecords", "to the ErrorHandler").withLabel("Records that cannot be written"));
    }
  }
}
