package io.scrapinghubio.beam;

import com.google.auto.value.AutoValue;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.beam.failure.BadRecords;
import io.scrapinghubio.beam.follow.FollowJobs;
import io.scrapinghubio.beam.follow.FollowSpec;
import io.scrapinghubio.beam.read.OutputFormat;
import io.scrapinghubio.beam.read.ReadConfig;
import io.scrapinghubio.beam.read.ReadJobs;
import io.scrapinghubio.beam.read.ReadResult;
import io.scrapinghubio.beam.read.RecordRanges;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import io.scrapinghubio.beam.read.ScrapinghubRecordCoder;
import io.scrapinghubio.beam.rows.RowOutputFormat;
import io.scrapinghubio.beam.rows.RowSchemas;
import io.scrapinghubio.beam.rows.SchemaSampler;
import io.scrapinghubio.client.core.JobKey;
import io.scrapinghubio.client.JobQuery;
import io.scrapinghubio.client.read.JobDataType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Impulse;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code ScrapinghubIO.read()}: every record of every selected job, read in parallel.
 *
 * <p>Selection: a project (required unless explicit jobs are given) with optional spiders, states
 * (default: finished only), tags, and a time range; or explicit job keys. Each job's record range
 * is a splittable restriction (see {@code ReadRecordsFn}). Every {@code withX()} returns a new
 * instance and rejects bad values at once; the API key is never part of display data.
 *
 * <p>Output: {@link ScrapinghubRecord}s by default, a user class ({@link #as}), or Beam rows of a
 * given schema ({@link #asRows(Schema)}) or of one inferred from a sample of the selected jobs
 * ({@link #asRows()}, {@link #inferSchema()}). A record that does not convert fails the pipeline,
 * naming it; {@link #withBadRecordErrorHandler} routes it to a Beam {@link ErrorHandler} instead.
 * {@link #withResult()} gives the jobs read beside the records.
 */
@AutoValue
public abstract class ScrapinghubRead<T> extends PTransform<PBegin, PCollection<T>> {
  private static final long serialVersionUID = 1L;

  abstract ReadConfig config();

  abstract OutputFormat<T> format();

  abstract long project(); // 0 = not set

  abstract JobQuery query();

  abstract List<String> spiders();

  abstract List<String> jobKeys();

  /** Set by {@link #continuously}: the read is unbounded and follows the project. */
  abstract @org.checkerframework.checker.nullness.qual.Nullable FollowSpec follow();
  /** Where records that do not convert go; null: they fail the pipeline. */
  abstract @Nullable ErrorHandler<BadRecord, ?> badRecordErrorHandler();

  abstract int schemaSampleJobs();

  abstract int schemaSampleRecords();

  abstract boolean sqlSafeFieldNames();

  abstract Builder<T> toBuilder();

  /** The schema {@link #inferSchema()} found for this very instance: inferred once, logged once. */
  private transient volatile @Nullable Schema inferred;

  /** Jobs sampled for {@link #asRows()} unless {@link #withSchemaSampleJobs} says otherwise. */
  public static final int DEFAULT_SCHEMA_SAMPLE_JOBS = 10;
  /** Records of each sampled job unless {@link #withSchemaSampleRecords} says otherwise: one request each. */
  public static final int DEFAULT_SCHEMA_SAMPLE_RECORDS = 500;

  @AutoValue.Builder
  abstract static class Builder<T> {
    abstract Builder<T> setConfig(ReadConfig c);

    abstract Builder<T> setFormat(OutputFormat<T> f);

    abstract Builder<T> setProject(long p);

    abstract Builder<T> setQuery(JobQuery q);

    abstract Builder<T> setSpiders(List<String> s);

    abstract Builder<T> setJobKeys(List<String> k);

    abstract Builder<T> setFollow(@org.checkerframework.checker.nullness.qual.Nullable FollowSpec f);
    abstract Builder<T> setBadRecordErrorHandler(@Nullable ErrorHandler<BadRecord, ?> h);

    abstract Builder<T> setSchemaSampleJobs(int n);

    abstract Builder<T> setSchemaSampleRecords(int n);

    abstract Builder<T> setSqlSafeFieldNames(boolean b);

    abstract ScrapinghubRead<T> build();
  }

  /**
   * Use {@code ScrapinghubIO.read()}.
   *
   * @return a read of {@link ScrapinghubRecord}s with the defaults
   */
  public static ScrapinghubRead<ScrapinghubRecord> create() {
    return new AutoValue_ScrapinghubRead.Builder<ScrapinghubRecord>()
        .setConfig(ReadConfig.defaults())
        .setFormat(OutputFormat.records())
        .setProject(0)
        .setQuery(JobQuery.all())
        .setSpiders(List.of())
        .setJobKeys(List.of())
        .setSchemaSampleJobs(DEFAULT_SCHEMA_SAMPLE_JOBS)
        .setSchemaSampleRecords(DEFAULT_SCHEMA_SAMPLE_RECORDS)
        .setSqlSafeFieldNames(false)
        .build();
  }

  // ---- connection ----

  /**
   * How to reach Scrapy Cloud (endpoints, API key, timeouts, retries); default
   * {@code ScrapinghubIO.connection()}.
   *
   * @param connection endpoints, key source, timeouts and retry policy
   * @return a new read with this setting
   */
  public ScrapinghubRead<T> withConnection(ScrapinghubConnection connection) {
    return toBuilder().setConfig(config().withConnection(connection)).build();
  }

  // ---- selection ----

  /**
   * The project whose jobs are read (required unless {@link #withJobs} names them).
   *
   * @param projectId a positive project id
   * @return a new read with this setting
   */
  public ScrapinghubRead<T> withProject(long projectId) {
    if (projectId <= 0) {
      throw new IllegalArgumentException("project id must be a positive integer, but was " + projectId);
    }
    return toBuilder().setProject(projectId).build();
  }

  /**
   * Only jobs of these spiders (by name).
   *
   * @param names spider names, at least one
   * @return a new read with this setting
   */
  public ScrapinghubRead<T> withSpiders(String... names) {
    List<String> l = new ArrayList<>();
    for (String n : names) {
      if (n == null || n.isBlank()) {
        throw new IllegalArgumentException("spider names must be non-empty, but got '" + n + "'");
      }
      l.add(n);
    }
    return toBuilder().setSpiders(List.copyOf(l)).build();
  }

  /**
   * Job states to read (default {@code finished}); one of pending, running, finished, deleted.
   *
   * @param states job states, at least one
   * @return a new read with this setting
   */
  public ScrapinghubRead<T> withStates(String... states) {
    return toBuilder().setQuery(query().state(states)).build();
  }

  /**
   * Only jobs having any of these tags.
   *
   * @param tags tags, at least one
   * @return a new read with this setting
   */
  public ScrapinghubRead<T> withHasTag(String... tags) {
    return toBuilder().setQuery(query().hasTag(tags)).build();
  }

  /**
   * Only jobs having none of these tags.
   *
   * @param tags tags, at least one
   * @return a new read with this setting
   */
  public ScrapinghubRead<T> withLacksTag(String... tags) {
    return toBuilder().setQuery(query().lacksTag(tags)).build();
  }

  /**
   * Only jobs from this instant on (epoch milliseconds).
   *
   * @param epochMillis the range's start, inclusive
   * @return a new read with this setting
   */
  public ScrapinghubRead<T> withStartTs(long epochMillis) {
    return toBuilder().setQuery(query().startTs(epochMillis)).build();
  }

  /**
   * Only jobs before this instant (epoch milliseconds).
   *
   * @param epochMillis the range's end, exclusive
   * @return a new read with this setting
   */
  public ScrapinghubRead<T> withEndTs(long epochMillis) {
    return toBuilder().setQuery(query().endTs(epochMillis)).build();
  }

  /**
   * At most this many jobs (newest first).
   *
   * @param n a positive number of jobs
   * @return a new read with this setting
   */
  public ScrapinghubRead<T> withMaxJobs(long n) {
    return toBuilder().setQuery(query().limit(n)).build();
  }

  /**
   * Exactly these jobs ({@code P/S/J}), instead of listing a project's jobs. They are checked
   * before anything is read: a job that does not exist fails the read, naming it.
   *
   * @param jobKeys job keys, at least one
   * @return a new read with this setting
   */
  public ScrapinghubRead<T> withJobs(String... jobKeys) {
    // A key given twice (or spelled twice, 1/2/3 and 01/2/3) is read once: a job is one set of records.
    java.util.Set<String> l = new java.util.LinkedHashSet<>();
    for (String k : jobKeys) {
      l.add(JobKey.parse(k).toString());
    }
    if (l.isEmpty()) {
      throw new IllegalArgumentException("withJobs() needs at least one job key");
    }
    return toBuilder().setJobKeys(List.copyOf(l)).build();
  }

  // ---- what to read ----

  /**
   * Which record log: items (default), logs, requests or samples.
   *
   * @param type the record log
   * @return a new read with this setting
   */
  public ScrapinghubRead<T> withDataType(JobDataType type) {
    return toBuilder().setConfig(config().withDataType(type)).build();
  }

  /**
   * Also read the time the service stored each record ({@code _ts}, epoch milliseconds), which
   * {@link ScrapinghubRecord#storedAt()} carries; a few bytes more per record on the wire. Items,
   * logs and requests have a store time; applying a read of samples with it fails.
   *
   * @return a new read with this setting
   */
  public ScrapinghubRead<T> withStoreTimes() {
    return toBuilder().setConfig(config().withStoreTimes()).build();
  }

  /**
   * Logs at this level or above (DEBUG, INFO, WARNING, ERROR, CRITICAL); implies
   * {@code withDataType(LOGS)}.
   *
   * @param level the lowest level read
   * @return a new read with this setting
   */
  public ScrapinghubRead<T> withMinLogLevel(String level) {
    return toBuilder().setConfig(config().withMinLogLevel(level)).build();
  }

  /**
   * A storage-API filter triple as JSON, e.g. {@code ["price", ">", [10]]}; several are ANDed.
   *
   * @param filterJson one filter triple
   * @return a new read with this setting
   */
  public ScrapinghubRead<T> withFilter(String filterJson) {
    return toBuilder().setConfig(config().withFilter(filterJson)).build();
  }

  // ---- sizing ----

  /**
   * Records per request (default 2,500). Requests are streamed, so a page's size costs no memory
   * (see {@link ScrapinghubReadAll}); it sets how many streams a range is cut into.
   *
   * @param n records per request, positive
   * @return a new read with this setting
   */
  public ScrapinghubRead<T> withPageSize(int n) {
    return toBuilder().setConfig(config().withPageSize(n)).build();
  }

  /**
   * Leaves out {@code records}: the read sizes each job as usual, then cuts and fetches only the
   * index ranges the set lacks, so a job the set holds whole costs one sizing request and no read.
   * For a pipeline that resumes an interrupted one from what its sink had committed (the command
   * line's {@code export} does). {@link ReadResult#jobs()} still lists every job selected.
   *
   * @param records the records not to read; copied
   * @return a new read with this setting
   */
  public ScrapinghubRead<T> withoutRecords(RecordRanges records) {
    return toBuilder().setConfig(config().withSkippedRecords(records)).build();
  }

  /**
   * Pages in flight ahead of the one the runner consumes, per range reader (default 3, so four
   * streams per range: at a distance the reader waits on the network, not the CPU; 0 = the next page
   * is requested only once the current one is used up). Each range holds at most 16 MiB of records
   * for the runner whatever the setting.
   *
   * @param n pages, 0 or more
   * @return a new read with this setting
   */
  public ScrapinghubRead<T> withPrefetchPages(int n) {
    return toBuilder().setConfig(config().withPrefetchPages(n)).build();
  }

  /**
   * Max records per initial split (default 10,000).
   *
   * @param n records, positive
   * @return a new read with this setting
   */
  public ScrapinghubRead<T> withChunkItems(long n) {
    return toBuilder().setConfig(config().withChunkItems(n)).build();
  }

  /**
   * Max bytes per initial split, from the job's average record size (default 32 MiB).
   *
   * @param n bytes, positive
   * @return a new read with this setting
   */
  public ScrapinghubRead<T> withChunkBytes(long n) {
    return toBuilder().setConfig(config().withChunkBytes(n)).build();
  }

  /**
   * How often each worker logs a progress line (default 30 s).
   *
   * @param d a positive interval
   * @return a new read with this setting
   */
  public ScrapinghubRead<T> withProgressInterval(Duration d) {
    return toBuilder().setConfig(config().withProgressInterval(d)).build();
  }

  /**
   * Reads each chunk with a splittable DoFn that the runner may split further while it runs, for
   * runners that rebalance stragglers dynamically (Dataflow). Off by default: on the Direct and
   * Flink runners a chunk read whole is faster (see {@code ReadChunkFn}).
   *
   * @return a new read with this setting
   */
  public ScrapinghubRead<T> withDynamicSplitting() {
    return toBuilder().setConfig(config().withDynamicSplitting()).build();
  }

  // ---- following a project ----

  /**
   * Makes the read unbounded: the selection (project, spiders, tags, time range) is listed every
   * {@code pollInterval}, with one job-queue request per poll (per selected spider, per 1000
   * jobs), and every finished job is read once, as soon as it is seen; jobs already finished at
   * start are read too. Each record's timestamp is the time the service stored it ({@code _ts}).
   * Runs until a termination condition holds ({@link #withTerminationAfter},
   * {@link #withTerminationAfterIdlePolls}; default: never), then until the jobs being read end.
   * See docs/follow.md for the guarantees.
   *
   * @param pollInterval time between two listings of the selection
   * @return a new, unbounded read
   */
  public ScrapinghubRead<T> continuously(org.joda.time.Duration pollInterval) {
    // validated either way: a first call starts the spec, a later one only changes its interval
    FollowSpec f = follow() == null ? FollowSpec.every(pollInterval) : follow().withPollInterval(pollInterval);
    return toBuilder().setFollow(f).build();
  }

  /**
   * With {@link #continuously}: also read jobs that are still running, page by page as their
   * records are written (a job's read ends once it has finished and its last record is read).
   *
   * @return a new read with this setting
   */
  public ScrapinghubRead<T> withRunningJobs() {
    return toBuilder().setFollow(following("withRunningJobs()").withRunningJobs()).build();
  }

  /**
   * With {@link #continuously}: stop polling for new jobs this long after the read started.
   *
   * @param duration how long to poll
   * @return a new read with this setting
   */
  public ScrapinghubRead<T> withTerminationAfter(org.joda.time.Duration duration) {
    return toBuilder().setFollow(following("withTerminationAfter()").withTerminationAfter(duration)).build();
  }

  /**
   * With {@link #continuously}: stop polling after {@code polls} consecutive polls that found no
   * new job.
   *
   * @param polls consecutive idle polls, positive
   * @return a new read with this setting
   */
  public ScrapinghubRead<T> withTerminationAfterIdlePolls(int polls) {
    return toBuilder().setFollow(following("withTerminationAfterIdlePolls()").withTerminationAfterIdlePolls(polls)).build();
  }

  /**
   * With {@link #continuously}: once every record of a job has been emitted (it finished and its
   * last record was read), add {@code tag} to the job; the selection excludes jobs with that tag,
   * so a restarted pipeline does not read them again. Tagging follows emission, not your sink's
   * commit: see docs/follow.md for the window this leaves. A job that cannot be tagged (after the
   * client's retries) goes to this read's {@link #withBadRecordErrorHandler} handler, as an
   * {@code updateTags} bad record naming the job; without a handler it fails the pipeline.
   *
   * @param tag a non-empty tag
   * @return a new read with this setting
   */
  public ScrapinghubRead<T> markConsumed(String tag) {
    return toBuilder().setFollow(following("markConsumed()").markConsumed(tag)).build();
  }

  private FollowSpec following(String method) {
    if (follow() == null) {
      throw new IllegalStateException(method + " applies to a continuous read: call continuously(pollInterval) first");
    }
    return follow();
  }

  // ---- output ----

  /**
   * Bind each record to {@code type} with Jackson (a {@code @JsonProperty("_key")} property gets
   * the record key).
   *
   * @param <U> the output type
   * @param type a class Jackson can bind items to
   * @return a new read producing {@code U}
   */
  public <U> ScrapinghubRead<U> as(Class<U> type) {
    return retype(OutputFormat.boundTo(type));
  }

  /**
   * Beam {@link Row}s of this schema. Fields missing in an item are null, fields the schema does
   * not name are ignored; STRING fields {@code _key} and {@code _job} get the record's key
   * ({@code P/S/J/N}) and its job ({@code P/S/J}). A value that does not fit its field is a
   * conversion failure (see {@link #withBadRecordErrorHandler}).
   *
   * @param schema a schema with at least one field
   * @return a new read producing rows
   */
  public ScrapinghubRead<Row> asRows(Schema schema) {
    return retype(RowOutputFormat.of(schema));
  }

  /**
   * Beam {@link Row}s of a schema inferred, when the read is applied, from a sample of the selected
   * jobs: the first {@link #withSchemaSampleRecords} records of up to {@link #withSchemaSampleJobs}
   * jobs (newest first, shared among the selected spiders). The schema is the union of the sampled
   * fields, described in {@link RowSchemas}: {@code _key}, {@code _job}, then the fields sorted by
   * name; integers widened to DOUBLE where floats were seen, objects as nested rows, arrays as
   * arrays, values of mixed types as JSON text; every field nullable. It is logged (INFO) and
   * {@link #inferSchema()} returns it. Records read later that do not fit it (a string where a
   * number was sampled...) are conversion failures; fields the sample never showed are ignored.
   * The selection must match at least one job with records, or this fails naming the selection.
   *
   * @return a new read producing rows
   */
  public ScrapinghubRead<Row> asRows() {
    return retype(OutputFormat.inferredRows());
  }

  /**
   * How many selected jobs {@link #asRows()} samples to infer the schema (1..1000, default
   * {@value #DEFAULT_SCHEMA_SAMPLE_JOBS}).
   *
   * @param jobs jobs to sample, 1 to 1000
   * @return a new read with this setting
   */
  public ScrapinghubRead<T> withSchemaSampleJobs(int jobs) {
    if (jobs < 1 || jobs > 1000) {
      throw new IllegalArgumentException("schema sample jobs must be in 1..1000, but was " + jobs);
    }
    return toBuilder().setSchemaSampleJobs(jobs).build();
  }

  /**
   * How many records (from the start) of each sampled job {@link #asRows()} looks at, in one
   * request (1..100000, default {@value #DEFAULT_SCHEMA_SAMPLE_RECORDS}).
   *
   * @param records records per sampled job, 1 to 100000
   * @return a new read with this setting
   */
  public ScrapinghubRead<T> withSchemaSampleRecords(int records) {
    if (records < 1 || records > 100_000) {
      throw new IllegalArgumentException("schema sample records must be in 1..100000, but was " + records);
    }
    return toBuilder().setSchemaSampleRecords(records).build();
  }

  /**
   * Names the inferred schema's fields so that every Beam SQL operation takes them: item fields
   * whose names have characters outside {@code [A-Za-z0-9_]} (accents, spaces, {@code €}, CJK...)
   * are renamed, e.g. {@code prix €} to {@code prix}, as {@link RowSchemas#sqlSafeName} says,
   * and still read from the item's field. Without it names are kept as they are (what a database
   * wants), and Beam SQL can select them in backquotes but not aggregate or group over them.
   *
   * @return a new read with this setting
   */
  public ScrapinghubRead<T> withSqlSafeFieldNames() {
    return toBuilder().setSqlSafeFieldNames(true).build();
  }

  /**
   * Infers the row schema of this selection now (the inference {@link #asRows()} runs when the
   * read is applied; once per instance), e.g. to create a database table before the pipeline runs.
   *
   * @return the schema rows of this read get
   * @throws IllegalArgumentException no job matches the selection, or the jobs have no records
   */
  public Schema inferSchema() {
    Schema s = inferred;
    if (s == null) {
      requireSelection();
      s = new SchemaSampler(config(), project(), query(), spiders(), jobKeys(), schemaSampleJobs(), schemaSampleRecords(),
          sqlSafeFieldNames()).infer();
      inferred = s;
    }
    return s;
  }

  // ---- failures ----

  /**
   * Sends each record that does not convert to the read's output (a string where the schema has a
   * DOUBLE, an object where it has a scalar, a value the user class cannot bind) to
   * {@code handler}, as a Beam {@link BadRecord}: its record is the record as read (the JSON as
   * stored, and encoded as a {@link ScrapinghubRecord} with {@link ScrapinghubRecordCoder}: key,
   * job, spider), its failure the description {@code CONVERSION: record P/S/J/N of job P/S/J:
   * <reason>} ({@link io.scrapinghubio.beam.failure.ScrapinghubFailure#of(BadRecord) ScrapinghubFailure.of(badRecord)} reads it back as data) and the exception, whose message also names the output type. They are counted in
   * {@code read_records_failed}. Without a handler such a record fails the pipeline with that
   * exception. The same handler as every Beam IO's:
   * {@code pipeline.registerBadRecordErrorHandler(sink)}, closed before the pipeline runs.
   *
   * @param handler where bad records go; not null
   * @return a new read with this setting
   */
  public ScrapinghubRead<T> withBadRecordErrorHandler(ErrorHandler<BadRecord, ?> handler) {
    return toBuilder().setBadRecordErrorHandler(BadRecords.checkHandler(handler, "read()")).build();
  }

  /**
   * This read, producing a {@link ReadResult}: the records and the jobs read
   * ({@link ReadResult#jobs()}, or {@link ReadResult#jobsReadToTheirEnd()} for a continuous read).
   *
   * @return the read with its result
   */
  public ScrapinghubReadWithResult<T> withResult() {
    return new ScrapinghubReadWithResult<>(this);
  }

  private <U> ScrapinghubRead<U> retype(OutputFormat<U> f) {
    return new AutoValue_ScrapinghubRead.Builder<U>()
        .setConfig(config()).setFormat(f).setProject(project()).setQuery(query())
        .setSpiders(spiders()).setJobKeys(jobKeys()).setFollow(follow()).setBadRecordErrorHandler(badRecordErrorHandler())
        .setSchemaSampleJobs(schemaSampleJobs()).setSchemaSampleRecords(schemaSampleRecords())
        .setSqlSafeFieldNames(sqlSafeFieldNames()).build();
  }

  private void requireSelection() {
    if (jobKeys().isEmpty() && project() == 0) {
      throw new IllegalArgumentException("ScrapinghubIO.read() needs withProject(id) or withJobs(keys...)");
    }
  }

  @Override
  public PCollection<T> expand(PBegin input) {
    if (follow() != null) {
      checkFollowable();
      return input.apply("Follow", new FollowJobs<>(config(), resolvedFormat(), badRecordErrorHandler(), follow(), project(),
          query(), spiders())).records();
    }
    return expandResult(input).records();
  }

  /** The read's records and jobs; {@link ScrapinghubReadWithResult} applies this. */
  ReadResult<T> expandResult(PBegin input) {
    requireSelection();
    if (follow() != null) {
      checkFollowable();
      return input.apply("Follow", new FollowJobs<>(config(), resolvedFormat(), badRecordErrorHandler(), follow(), project(), query(), spiders()));
    }
    OutputFormat<T> format = resolvedFormat();
    PCollection<KV<String, String>> keys = jobKeys().isEmpty()
        ? input.apply("Impulse", Impulse.create())
            .apply("ListJobs", ReadJobs.listJobs(config().connection(), project(), query(), spiders()))
            .setCoder(ReadJobs.KEY_AND_SPIDER)
        : input.apply("Impulse", Impulse.create())
            .apply("CheckJobsExist", ReadJobs.namedJobs(config().connection(), jobKeys()))
            .setCoder(ReadJobs.KEY_AND_SPIDER);
    try {
      return keys.apply("ReadJobs", new ReadJobs<>(config(), format, badRecordErrorHandler(), false));
    } catch (RuntimeException e) {
      if (e.getCause() instanceof CannotProvideCoderException) {
        throw new IllegalArgumentException(e.getCause().getMessage(), e.getCause());
      }
      throw e;
    }
  }

  /** What a continuous read cannot be combined with, said at construction. */
  private void checkFollowable() {
    if (!jobKeys().isEmpty()) {
      throw new IllegalArgumentException("continuously() follows a project's selection as it grows, but withJobs("
          + String.join(",", jobKeys().subList(0, Math.min(3, jobKeys().size()))) + (jobKeys().size() > 3 ? ",..." : "")
          + ") names a fixed set of jobs: use withProject(id) with spiders/tags, or drop continuously()");
    }
    if (!query().states().isEmpty()) {
      throw new IllegalArgumentException("continuously() reads finished jobs, and running ones with withRunningJobs(); "
          + "withStates(" + String.join(",", query().states()) + ") cannot be combined with it");
    }
    if (query().limit() != Long.MAX_VALUE) {
      throw new IllegalArgumentException("withMaxJobs(" + query().limit() + ") cannot be combined with continuously(): "
          + "a continuous read has no fixed set of jobs to take the newest of");
    }
    if (!config().skippedRecords().isEmpty()) {
      throw new IllegalArgumentException("withoutRecords(" + config().skippedRecords() + ") cannot be combined with "
          + "continuously(): a continuous read resumes from its checkpoints and its markConsumed tag");
    }
    if (config().dataType() == JobDataType.SAMPLES) {
      throw new IllegalArgumentException("continuously() needs records with a store time (_ts): items, logs or requests, not samples");
    }
  }

  /** The output format, with an inferred schema in place of {@link #asRows()}'s placeholder. */
  @SuppressWarnings("unchecked")
  private OutputFormat<T> resolvedFormat() {
    if (format().infersSchema()) {
      return (OutputFormat<T>) RowOutputFormat.of(inferSchema());
    }
    return format();
  }

  @Override
  public void populateDisplayData(DisplayData.Builder b) {
    super.populateDisplayData(b);
    config().populateDisplayData(b);
    if (follow() != null) {
      follow().populateDisplayData(b);
    }
    if (project() != 0) {
      b.add(DisplayData.item("project", project()).withLabel("Project"));
      b.add(DisplayData.item("jobQuery", query().toString()).withLabel("Job selection"));
    }
    if (!spiders().isEmpty()) {
      b.add(DisplayData.item("spiders", String.join(",", spiders())).withLabel("Spiders"));
    }
    if (!jobKeys().isEmpty()) {
      b.add(DisplayData.item("jobs", jobKeys().size() <= 20 ? String.join(",", jobKeys()) : jobKeys().size() + " jobs").withLabel("Jobs"));
    }
    Schema schema = inferred;
    b.add(DisplayData.item("output", schema != null ? "Row " + schema.getFieldNames() : format().describe()).withLabel("Output"));
    if (badRecordErrorHandler() != null) {
      b.add(DisplayData.item("badRecords", "to the ErrorHandler").withLabel("Records that do not convert"));
    }
  }
}
