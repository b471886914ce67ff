package io.scrapinghubio.beam.read;

import com.google.auto.value.AutoValue;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.core.JobKey;
import io.scrapinghubio.client.LogLevel;
import io.scrapinghubio.client.read.JobDataType;
import io.scrapinghubio.client.read.ReadSpec;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.beam.sdk.transforms.display.DisplayData;

/**
 * Settings shared by {@code read()} and {@code readAll()}: how to reach the service, which of a
 * job's record logs to read, and how to cut and page the work. Serialisable: it travels to workers.
 *
 * <p>Plumbing shared by the read packages and the read specs, not API.
 */
@Internal
@AutoValue
public abstract class ReadConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Records per initial split; Flink batch parallelises only these, so keep many per job. */
  public static final long DEFAULT_CHUNK_ITEMS = 10_000;
  /** Bytes per initial split, estimated from the job's average record size. */
  public static final long DEFAULT_CHUNK_BYTES = 32L << 20;

  /**
   * How to reach the service.
   *
   * @return the connection
   */
  public abstract ScrapinghubConnection connection();

  /**
   * Which record log is read.
   *
   * @return items, logs, requests or samples
   */
  public abstract JobDataType dataType();

  /**
   * Storage-API filters, as JSON triples, ANDed.
   *
   * @return the filters, possibly none
   */
  public abstract List<String> filters();

  /**
   * Records per request.
   *
   * @return the page size
   */
  public abstract int pageSize();

  /**
   * Pages requested ahead of the one being consumed, per range reader.
   *
   * @return the pages in flight ahead
   */
  public abstract int prefetchPages();

  /**
   * Most records per initial split.
   *
   * @return the records per chunk
   */
  public abstract long chunkItems();

  /**
   * Most bytes per initial split.
   *
   * @return the bytes per chunk
   */
  public abstract long chunkBytes();

  /**
   * How often each worker logs a progress line.
   *
   * @return the interval
   */
  public abstract Duration progressInterval();

  /**
   * Read chunks with a splittable DoFn that the runner may split while it runs (Dataflow).
   *
   * @return true to read with a dynamically splittable DoFn
   */
  public abstract boolean dynamicSplitting();

  /**
   * Ask for each record's store time ({@code meta=_ts}), which {@link ScrapinghubRecord#storedAt()}
   * then carries. Items, logs and requests have one; samples do not.
   *
   * @return true to read store times
   */
  public abstract boolean storeTimes();

  /**
   * Records the read leaves out, already written by an interrupted run of the same pipeline.
   *
   * @return the records skipped, possibly none
   */
  public abstract RecordRanges skippedRecords();

  abstract Builder toBuilder();

  /**
   * The client's read of records {@code [from, to)} of {@code job} with this config's data type, paging and filters.
   *
   * @param job the job read
   * @param from the first record index, inclusive
   * @param to the last record index, exclusive
   * @param keepKey whether records keep their {@code _key} field
   * @return the client's read specification
   */
  public ReadSpec rangeSpec(JobKey job, long from, long to, boolean keepKey) {
    return ReadSpec.all(job, dataType())
        .withRange(from, to)
        .withPageSize(pageSize())
        .withPrefetchPages(prefetchPages())
        .withFilters(filters())
        .withKeepKey(keepKey)
        .withTimestamps(storeTimes());
  }

  /**
   * The client settings of {@link #connection()}.
   *
   * @return the connection's client configuration
   */
  public ClientConfig clientConfig() {
    return connection().clientConfig();
  }

  /**
   * The defaults of {@code read()} and {@code readAll()}.
   *
   * @return the default settings
   */
  public static ReadConfig defaults() {
    return new AutoValue_ReadConfig.Builder()
        .setConnection(ScrapinghubConnection.create())
        .setDataType(JobDataType.ITEMS)
        .setFilters(List.of())
        // The client's defaults: streamed pages of 2,500 records, four in flight per range, so a
        // worker reading one range keeps four streams busy while it waits on the network.
        .setPageSize(ReadSpec.DEFAULT_PAGE_SIZE)
        .setPrefetchPages(ReadSpec.DEFAULT_PREFETCH_PAGES)
        .setChunkItems(DEFAULT_CHUNK_ITEMS)
        .setChunkBytes(DEFAULT_CHUNK_BYTES)
        .setProgressInterval(Duration.ofSeconds(30))
        .setDynamicSplitting(false)
        .setStoreTimes(false)
        .setSkippedRecords(new RecordRanges())
        .build();
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setConnection(ScrapinghubConnection c);

    abstract Builder setDataType(JobDataType t);

    abstract Builder setFilters(List<String> f);

    abstract Builder setPageSize(int n);

    abstract Builder setPrefetchPages(int n);

    abstract Builder setChunkItems(long n);

    abstract Builder setChunkBytes(long n);

    abstract Builder setProgressInterval(Duration d);

    abstract Builder setDynamicSplitting(boolean b);

    abstract Builder setStoreTimes(boolean b);

    abstract Builder setSkippedRecords(RecordRanges r);

    abstract ReadConfig build();
  }

  // ---- validated changes: read() and readAll() delegate their withX() here, so both fail alike ----

  /**
   * How to reach the service.
   *
   * @param connection endpoints, key source, timeouts and retries; not null
   * @return a new config with this setting
   */
  public ReadConfig withConnection(ScrapinghubConnection connection) {
    if (connection == null) {
      throw new IllegalArgumentException("connection must be a ScrapinghubConnection such as ScrapinghubIO.connection(), but was null");
    }
    return toBuilder().setConnection(connection).build();
  }

  /**
   * Also read each record's store time.
   *
   * @return a new config with this setting
   */
  public ReadConfig withStoreTimes() {
    return toBuilder().setStoreTimes(true).build();
  }

  /** Refuses store times for a record log that has none, once the data type is known for good. */
  void checkStoreTimes() {
    if (storeTimes() && dataType() == JobDataType.SAMPLES) {
      throw new IllegalArgumentException("withStoreTimes(): samples carry no store time (_ts); only items, logs and "
          + "requests do: drop withStoreTimes() or read another data type");
    }
  }

  /**
   * Which record log is read.
   *
   * @param type the record log; not null
   * @return a new config with this setting
   */
  public ReadConfig withDataType(JobDataType type) {
    if (type == null) {
      throw new IllegalArgumentException("data type must be one of " + java.util.Arrays.toString(JobDataType.values()) + ", but was null");
    }
    return toBuilder().setDataType(type).build();
  }

  /**
   * Logs only, at {@code level} or above.
   *
   * @param level the lowest level read
   * @return a new config with this setting
   */
  public ReadConfig withMinLogLevel(String level) {
    LogLevel min = LogLevel.parse(level);
    return withDataType(JobDataType.LOGS).withFilter(ReadSpec.filterJson("level", ">=", min.value()));
  }

  /**
   * One more filter, ANDed with the others.
   *
   * @param filterJson one storage-API filter triple as JSON
   * @return a new config with this setting
   */
  public ReadConfig withFilter(String filterJson) {
    ReadFilters.check(filterJson);
    List<String> f = new ArrayList<>(filters());
    f.add(filterJson);
    return toBuilder().setFilters(List.copyOf(f)).build();
  }

  /**
   * Records per request.
   *
   * @param n records, 1 to 1,000,000
   * @return a new config with this setting
   */
  public ReadConfig withPageSize(int n) {
    if (n < 1 || n > 1_000_000) {
      throw new IllegalArgumentException("page size must be in 1..1000000, but was " + n);
    }
    return toBuilder().setPageSize(n).build();
  }

  /**
   * Pages in flight ahead of the one consumed, per range reader.
   *
   * @param n pages, 0 to 16
   * @return a new config with this setting
   */
  public ReadConfig withPrefetchPages(int n) {
    if (n < 0 || n > 16) {
      throw new IllegalArgumentException("prefetch pages must be in 0..16, but was " + n);
    }
    return toBuilder().setPrefetchPages(n).build();
  }

  /**
   * Most records per initial split.
   *
   * @param n records, positive
   * @return a new config with this setting
   */
  public ReadConfig withChunkItems(long n) {
    if (n < 1) {
      throw new IllegalArgumentException("chunk items must be >= 1, but was " + n);
    }
    return toBuilder().setChunkItems(n).build();
  }

  /**
   * Most bytes per initial split.
   *
   * @param n bytes, positive
   * @return a new config with this setting
   */
  public ReadConfig withChunkBytes(long n) {
    if (n < 1) {
      throw new IllegalArgumentException("chunk bytes must be >= 1, but was " + n);
    }
    return toBuilder().setChunkBytes(n).build();
  }

  /**
   * Records to leave out; copied.
   *
   * @param r the records not to read
   * @return a new config with this setting
   */
  public ReadConfig withSkippedRecords(RecordRanges r) {
    if (r == null) {
      throw new IllegalArgumentException("the records to leave out must not be null: pass new RecordRanges() for none");
    }
    return toBuilder().setSkippedRecords(new RecordRanges(r)).build();
  }

  /**
   * How often each worker logs a progress line.
   *
   * @param d a positive interval
   * @return a new config with this setting
   */
  public ReadConfig withProgressInterval(Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("progress interval must be positive, but was " + d);
    }
    return toBuilder().setProgressInterval(d).build();
  }

  /** Records per initial split for a job with this average record size. */
  long chunkSizeFor(double avgRecordBytes) {
    long byBytes = avgRecordBytes <= 0 ? chunkItems() : (long) Math.max(1, chunkBytes() / avgRecordBytes);
    return Math.max(1, Math.min(chunkItems(), byBytes));
  }

  /**
   * Read settings with a dynamically splittable DoFn (see {@link #dynamicSplitting()}).
   *
   * @return a new config with this setting
   */
  public ReadConfig withDynamicSplitting() {
    return toBuilder().setDynamicSplitting(true).build();
  }

  /**
   * Adds these settings to a read's display data (the API key never is).
   *
   * @param b the read's display data
   */
  public void populateDisplayData(DisplayData.Builder b) {
    connection().populateDisplayData(b);
    b.add(DisplayData.item("dataType", dataType().path()).withLabel("Job data read"));
    if (!filters().isEmpty()) {
      b.add(DisplayData.item("filters", String.join(" AND ", filters())).withLabel("Record filters"));
    }
    b.add(DisplayData.item("pageSize", pageSize()).withLabel("Records per request"));
    b.add(DisplayData.item("prefetchPages", prefetchPages()).withLabel("Pages fetched ahead"));
    b.add(DisplayData.item("chunkItems", chunkItems()).withLabel("Max records per initial split"));
    b.add(DisplayData.item("chunkBytes", chunkBytes()).withLabel("Max bytes per initial split"));
    b.add(DisplayData.item("dynamicSplitting", dynamicSplitting()).withLabel("Splittable read (dynamic splits)"));
    if (!skippedRecords().isEmpty()) {
      b.add(DisplayData.item("skippedRecords", skippedRecords().toString()).withLabel("Records left out (written before)"));
    }
  }
}
