package io.scrapinghubio.beam;

import com.google.auto.value.AutoValue;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.beam.failure.BadRecords;
import io.scrapinghubio.beam.read.OutputFormat;
import io.scrapinghubio.beam.read.ReadConfig;
import io.scrapinghubio.beam.read.ReadJobs;
import io.scrapinghubio.beam.read.ReadResult;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import io.scrapinghubio.beam.read.ScrapinghubRecordCoder;
import io.scrapinghubio.beam.rows.RowOutputFormat;
import io.scrapinghubio.client.core.JobKey;
import io.scrapinghubio.client.read.JobDataType;
import java.time.Duration;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code ScrapinghubIO.readAll()}: reads the jobs whose keys ({@code P/S/J}) arrive as a
 * {@code PCollection}, e.g. jobs a pipeline discovered or scheduled itself. Same reading machinery
 * and settings as {@link ScrapinghubRead}, checked by the same code: every {@code withX()} returns a
 * new instance and rejects bad values at once. A malformed key fails the pipeline with a message
 * naming it.
 */
@AutoValue
public abstract class ScrapinghubReadAll<T> extends PTransform<PCollection<String>, PCollection<T>> {
  private static final long serialVersionUID = 1L;

  abstract ReadConfig config();

  abstract OutputFormat<T> format();

  /** Where records that do not convert go; null: they fail the pipeline. */
  abstract @Nullable ErrorHandler<BadRecord, ?> badRecordErrorHandler();

  abstract Builder<T> toBuilder();

  @AutoValue.Builder
  abstract static class Builder<T> {
    abstract Builder<T> setConfig(ReadConfig c);

    abstract Builder<T> setFormat(OutputFormat<T> f);

    abstract Builder<T> setBadRecordErrorHandler(@Nullable ErrorHandler<BadRecord, ?> h);

    abstract ScrapinghubReadAll<T> build();
  }

  /**
   * Use {@code ScrapinghubIO.readAll()}.
   *
   * @return a read of {@link ScrapinghubRecord}s with the defaults
   */
  public static ScrapinghubReadAll<ScrapinghubRecord> create() {
    return new AutoValue_ScrapinghubReadAll.Builder<ScrapinghubRecord>()
        .setConfig(ReadConfig.defaults())
        .setFormat(OutputFormat.records())
        .build();
  }

  /**
   * How to reach Scrapy Cloud (endpoints, API key, timeouts, retries); default
   * {@code ScrapinghubIO.connection()}.
   *
   * @param connection endpoints, key source, timeouts and retry policy
   * @return a new read with this setting
   */
  public ScrapinghubReadAll<T> withConnection(ScrapinghubConnection connection) {
    return toBuilder().setConfig(config().withConnection(connection)).build();
  }

  /**
   * See {@link ScrapinghubRead#withDataType}.
   *
   * @param type the record log
   * @return a new read with this setting
   */
  public ScrapinghubReadAll<T> withDataType(JobDataType type) {
    return toBuilder().setConfig(config().withDataType(type)).build();
  }

  /**
   * Also read the time the service stored each record ({@code _ts}, epoch milliseconds), which
   * {@link ScrapinghubRecord#storedAt()} carries. Items, logs and requests have a store time;
   * applying a read of samples with it fails.
   *
   * @return a new read with this setting
   */
  public ScrapinghubReadAll<T> withStoreTimes() {
    return toBuilder().setConfig(config().withStoreTimes()).build();
  }

  /**
   * See {@link ScrapinghubRead#withMinLogLevel}.
   *
   * @param level the lowest level read
   * @return a new read with this setting
   */
  public ScrapinghubReadAll<T> withMinLogLevel(String level) {
    return toBuilder().setConfig(config().withMinLogLevel(level)).build();
  }

  /**
   * See {@link ScrapinghubRead#withFilter}.
   *
   * @param filterJson one filter triple
   * @return a new read with this setting
   */
  public ScrapinghubReadAll<T> withFilter(String filterJson) {
    return toBuilder().setConfig(config().withFilter(filterJson)).build();
  }

  /**
   * See {@link ScrapinghubRead#withPageSize}.
   *
   * @param n records per request, positive
   * @return a new read with this setting
   */
  public ScrapinghubReadAll<T> withPageSize(int n) {
    return toBuilder().setConfig(config().withPageSize(n)).build();
  }

  /**
   * See {@link ScrapinghubRead#withPrefetchPages}.
   *
   * @param n pages, 0 or more
   * @return a new read with this setting
   */
  public ScrapinghubReadAll<T> withPrefetchPages(int n) {
    return toBuilder().setConfig(config().withPrefetchPages(n)).build();
  }

  /**
   * See {@link ScrapinghubRead#withChunkItems}.
   *
   * @param n records, positive
   * @return a new read with this setting
   */
  public ScrapinghubReadAll<T> withChunkItems(long n) {
    return toBuilder().setConfig(config().withChunkItems(n)).build();
  }

  /**
   * See {@link ScrapinghubRead#withChunkBytes}.
   *
   * @param n bytes, positive
   * @return a new read with this setting
   */
  public ScrapinghubReadAll<T> withChunkBytes(long n) {
    return toBuilder().setConfig(config().withChunkBytes(n)).build();
  }

  /**
   * See {@link ScrapinghubRead#withDynamicSplitting()}.
   *
   * @return a new read with this setting
   */
  public ScrapinghubReadAll<T> withDynamicSplitting() {
    return toBuilder().setConfig(config().withDynamicSplitting()).build();
  }

  /**
   * See {@link ScrapinghubRead#withProgressInterval}.
   *
   * @param d a positive interval
   * @return a new read with this setting
   */
  public ScrapinghubReadAll<T> withProgressInterval(Duration d) {
    return toBuilder().setConfig(config().withProgressInterval(d)).build();
  }

  /**
   * See {@link ScrapinghubRead#as}.
   *
   * @param <U> the output type
   * @param type a class Jackson can bind items to
   * @return a new read producing {@code U}
   */
  public <U> ScrapinghubReadAll<U> as(Class<U> type) {
    return retype(OutputFormat.boundTo(type));
  }

  /**
   * See {@link ScrapinghubRead#asRows}.
   *
   * @param schema a schema with at least one field
   * @return a new read producing rows
   */
  public ScrapinghubReadAll<Row> asRows(Schema schema) {
    return retype(RowOutputFormat.of(schema));
  }

  /**
   * Sends each record that does not convert to the read's output (a string where the schema has a
   * DOUBLE, an object where it has a scalar, a value the user class cannot bind) to
   * {@code handler}, as a Beam {@link BadRecord}: its record is the record as read (the JSON as
   * stored, and encoded as a {@link ScrapinghubRecord} with {@link ScrapinghubRecordCoder}: key,
   * job, spider), its failure the description {@code CONVERSION: record P/S/J/N of job P/S/J:
   * <reason>} ({@link io.scrapinghubio.beam.failure.ScrapinghubFailure#of(BadRecord) ScrapinghubFailure.of(badRecord)} reads it back as data) and the exception, whose message also names the output type. They are counted in
   * {@code read_records_failed}. Without a handler such a record fails the pipeline with that
   * exception. The same handler as every Beam IO's:
   * {@code pipeline.registerBadRecordErrorHandler(sink)}, closed before the pipeline runs. A key
   * of a job that does not exist goes there too (it fails the read otherwise): its bad record
   * holds the key ({@code StringUtf8Coder}) and the description
   * {@code NOT_FOUND: job P/S/J: <why>}; it is counted in {@code read_jobs_missing}.
   *
   * @param handler where bad records go; not null
   * @return a new read with this setting
   */
  public ScrapinghubReadAll<T> withBadRecordErrorHandler(ErrorHandler<BadRecord, ?> handler) {
    return toBuilder().setBadRecordErrorHandler(BadRecords.checkHandler(handler, "readAll()")).build();
  }

  /**
   * This read, producing a {@link ReadResult}: the records and the keys of the jobs read
   * ({@link ReadResult#jobs()}).
   *
   * @return the read with its result
   */
  public ScrapinghubReadAllWithResult<T> withResult() {
    return new ScrapinghubReadAllWithResult<>(this);
  }

  private <U> ScrapinghubReadAll<U> retype(OutputFormat<U> f) {
    return new AutoValue_ScrapinghubReadAll.Builder<U>().setConfig(config()).setFormat(f)
        .setBadRecordErrorHandler(badRecordErrorHandler()).build();
  }

  @Override
  public PCollection<T> expand(PCollection<String> jobKeys) {
    return expandResult(jobKeys).records();
  }

  /** The read's records and jobs; {@link ScrapinghubReadAllWithResult} applies this. */
  ReadResult<T> expandResult(PCollection<String> jobKeys) {
    // Each key checked and paired with no spider name (sizing looks each spider up once per
    // worker); a job named twice is read once (its records are one set, whoever asked how often).
    PCollection<KV<String, String>> unnamed = jobKeys
        .apply("CheckJobKeys", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
            .via((String k) -> KV.of(JobKey.parse(k).toString(), (String) null)))
        .setCoder(ReadJobs.KEY_AND_SPIDER)
        .apply("OncePerJob", org.apache.beam.sdk.transforms.Distinct.create());
    return unnamed.apply("ReadJobs", new ReadJobs<>(config(), format(), badRecordErrorHandler(), true));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder b) {
    super.populateDisplayData(b);
    config().populateDisplayData(b);
    b.add(DisplayData.item("output", format().describe()).withLabel("Output"));
    if (badRecordErrorHandler() != null) {
      b.add(DisplayData.item("badRecords", "to the ErrorHandler").withLabel("Records that do not convert"));
    }
  }
}
