package io.scrapinghubio.beam;

import io.scrapinghubio.beam.jobs.AwaitJobs;
import io.scrapinghubio.beam.jobs.JobStatus;
import io.scrapinghubio.beam.jobs.JobsResult;
import io.scrapinghubio.beam.jobs.ScheduleJobs;
import io.scrapinghubio.beam.jobs.ScheduledJob;
import io.scrapinghubio.beam.jobs.UpdateJobTags;
import io.scrapinghubio.beam.jobs.DuplicatePolicy;
import io.scrapinghubio.beam.jobs.TimeoutPolicy;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import com.google.auto.value.AutoValue;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.client.RunRequest;
import java.time.Duration;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * {@code ScrapinghubIO.crawlAndRead()}: the "crawl, then process" loop in one pipeline. Run
 * requests in; each is scheduled ({@link ScheduleJobs}, never twice), awaited ({@link AwaitJobs}),
 * and the items of the finished jobs are read ({@code readAll()}). Once the items are written
 * downstream, {@link Result#markConsumedAfter} tags the jobs (default tag {@code consumed}).
 *
 * <pre>{@code
 * CrawlAndRead.Result crawl = p.apply(Create.of(requests))
 *     .apply(ScrapinghubIO.crawlAndRead().withProject(123).withPollInterval(Duration.ofMinutes(1)));
 * WriteFilesResult<Void> written = crawl.items()
 *     .apply(MapElements.into(strings()).via(ScrapinghubRecord::json))
 *     .apply(TextIO.write().to("out/items").withOutputFilenames());
 * crawl.markConsumedAfter(written.getPerDestinationOutputFilenames());  // tags after the files exist
 * }</pre>
 */
@AutoValue
public abstract class CrawlAndRead extends PTransform<PCollection<RunRequest>, CrawlAndRead.Result> {
  private static final long serialVersionUID = 1L;

  abstract ScheduleJobs schedule();

  abstract AwaitJobs await();

  abstract ScrapinghubReadAll<ScrapinghubRecord> read();

  abstract String consumedTag();

  /** The handler given to {@link #withBadRecordErrorHandler}, kept for the consumed tagging; null: fail fast. */
  abstract @org.checkerframework.checker.nullness.qual.Nullable ErrorHandler<BadRecord, ?> badRecordErrorHandler();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setSchedule(ScheduleJobs s);

    abstract Builder setAwait(AwaitJobs a);

    abstract Builder setRead(ScrapinghubReadAll<ScrapinghubRecord> r);

    abstract Builder setConsumedTag(String t);

    abstract Builder setBadRecordErrorHandler(@org.checkerframework.checker.nullness.qual.Nullable ErrorHandler<BadRecord, ?> h);

    abstract CrawlAndRead build();
  }

  /**
   * Use {@code ScrapinghubIO.crawlAndRead()}.
   *
   * @return a transform with the defaults, configured with its {@code withX()} methods
   */
  public static CrawlAndRead create() {
    return new AutoValue_CrawlAndRead.Builder().setSchedule(ScheduleJobs.create()).setAwait(AwaitJobs.create())
        .setRead(ScrapinghubReadAll.create()).setConsumedTag("consumed").build();
  }

  /**
   * The project to schedule in (required).
   *
   * @param projectId a positive project id
   * @return a new transform with this setting
   */
  public CrawlAndRead withProject(long projectId) {
    return toBuilder().setSchedule(schedule().withProject(projectId)).build();
  }

  /**
   * How every step reaches Scrapy Cloud (endpoints, API key, timeouts, retries); the consumed tag
   * follows the schedule step's.
   *
   * @param connection endpoints, key source, timeouts and retry policy
   * @return a new transform with this setting
   */
  public CrawlAndRead withConnection(ScrapinghubConnection connection) {
    return toBuilder().setSchedule(schedule().withConnection(connection)).setAwait(await().withConnection(connection))
        .setRead(read().withConnection(connection)).build();
  }

  /**
   * See {@link ScheduleJobs#withDuplicatePolicy}.
   *
   * @param policy what to do when the service answers DuplicateJob
   * @return a new transform with this setting
   */
  public CrawlAndRead withDuplicatePolicy(DuplicatePolicy policy) {
    return toBuilder().setSchedule(schedule().withDuplicatePolicy(policy)).build();
  }

  /**
   * See {@link ScheduleJobs#withDedupeId}.
   *
   * @param id the dedupe scope
   * @return a new transform with this setting
   */
  public CrawlAndRead withDedupeId(String id) {
    return toBuilder().setSchedule(schedule().withDedupeId(id)).build();
  }

  /**
   * See {@link AwaitJobs#withPollInterval}.
   *
   * @param d a positive interval
   * @return a new transform with this setting
   */
  public CrawlAndRead withPollInterval(Duration d) {
    return toBuilder().setAwait(await().withPollInterval(d)).build();
  }

  /**
   * See {@link AwaitJobs#withTimeout}.
   *
   * @param d a positive duration
   * @return a new transform with this setting
   */
  public CrawlAndRead withTimeout(Duration d) {
    return toBuilder().setAwait(await().withTimeout(d)).build();
  }

  /**
   * See {@link AwaitJobs#withTimeoutPolicy}.
   *
   * @param p what to do with the jobs still waited for at the timeout
   * @return a new transform with this setting
   */
  public CrawlAndRead withTimeoutPolicy(TimeoutPolicy p) {
    return toBuilder().setAwait(await().withTimeoutPolicy(p)).build();
  }

  /**
   * Only read jobs finishing with one of these close reasons; others become failures.
   *
   * @param reasons the accepted close reasons, at least one
   * @return a new transform with this setting
   */
  public CrawlAndRead withAcceptedCloseReasons(String... reasons) {
    return toBuilder().setAwait(await().withAcceptedCloseReasons(reasons)).build();
  }

  /**
   * The tag {@link Result#markConsumedAfter} adds (default {@code consumed}).
   *
   * @param tag a non-empty tag
   * @return a new transform with this setting
   */
  public CrawlAndRead withConsumedTag(String tag) {
    return toBuilder().setConsumedTag(nonEmpty("the consumed tag", tag)).build();
  }

  /**
   * Replace the scheduling step's settings entirely.
   *
   * @param s the scheduling step to use as it is
   * @return a new transform with this setting
   */
  public CrawlAndRead withSchedule(ScheduleJobs s) {
    return toBuilder().setSchedule(required("schedule", s, "a ScheduleJobs spec such as ScrapinghubIO.scheduleJobs()"))
        .build();
  }

  /**
   * Replace the waiting step's settings entirely.
   *
   * @param a the waiting step to use as it is
   * @return a new transform with this setting
   */
  public CrawlAndRead withAwait(AwaitJobs a) {
    return toBuilder().setAwait(required("await", a, "an AwaitJobs spec such as ScrapinghubIO.awaitJobs()")).build();
  }

  /**
   * Replace the reading step's settings entirely (page size, chunking, filters...).
   *
   * @param r the reading step to use as it is
   * @return a new transform with this setting
   */
  public CrawlAndRead withRead(ScrapinghubReadAll<ScrapinghubRecord> r) {
    return toBuilder().setRead(required("read", r, "a ScrapinghubReadAll spec such as ScrapinghubIO.readAll()")).build();
  }

  /**
   * Sends what the crawl cannot do to {@code handler}, as Beam {@link BadRecord}s: run requests
   * that cannot be scheduled, jobs that cannot be awaited (see
   * {@link ScheduleJobs#withBadRecordErrorHandler} and {@link AwaitJobs#withBadRecordErrorHandler}),
   * finished jobs whose items cannot be read, and, in {@link Result#markConsumedAfter}, jobs that
   * cannot be tagged. Without a handler the first of them fails the pipeline, naming the request
   * or the job. Call {@code markConsumedAfter} before closing the handler: its tagging adds to it.
   *
   * @param handler where bad records go, from {@code pipeline.registerBadRecordErrorHandler(sink)}; not null
   * @return a new transform with this setting
   */
  public CrawlAndRead withBadRecordErrorHandler(ErrorHandler<BadRecord, ?> handler) {
    return toBuilder().setSchedule(schedule().withBadRecordErrorHandler(handler))
        .setAwait(await().withBadRecordErrorHandler(handler)).setRead(read().withBadRecordErrorHandler(handler))
        .setBadRecordErrorHandler(handler).build();
  }

  @Override
  public Result expand(PCollection<RunRequest> requests) {
    JobsResult<ScheduledJob> scheduled = requests.apply("Schedule", schedule());
    AwaitJobs.Result awaited = scheduled.output()
        .apply("ScheduledKeys", MapElements.into(TypeDescriptors.strings()).via(ScheduledJob::jobKey))
        .apply("Await", await());
    PCollection<String> finishedKeys = awaited.finished()
        .apply("FinishedKeys", MapElements.into(TypeDescriptors.strings()).via(JobStatus::jobKey));
    PCollection<ScrapinghubRecord> items = finishedKeys.apply("ReadItems", read());
    UpdateJobTags tagger = UpdateJobTags.create().withConnection(schedule().connection()).withAdd(consumedTag());
    if (badRecordErrorHandler() != null) {
      tagger = tagger.withBadRecordErrorHandler(badRecordErrorHandler());
    }
    return new Result(requests.getPipeline(), scheduled.output(), awaited.finished(), awaited.timedOut(), items,
        finishedKeys, tagger);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder b) {
    super.populateDisplayData(b);
    b.include("schedule", schedule());
    b.include("await", await());
    b.include("read", read());
    b.add(DisplayData.item("consumedTag", consumedTag()).withLabel("Tag of consumed jobs"));
  }

  /** The outputs of {@code crawlAndRead()}. */
  public static final class Result implements POutput {
    private final Pipeline pipeline;
    private final PCollection<ScheduledJob> scheduled;
    private final PCollection<JobStatus> finished;
    private final PCollection<JobStatus> timedOut;
    private final PCollection<ScrapinghubRecord> items;
    private final PCollection<String> finishedKeys;
    private final UpdateJobTags tagger;

    Result(Pipeline pipeline, PCollection<ScheduledJob> scheduled, PCollection<JobStatus> finished,
        PCollection<JobStatus> timedOut, PCollection<ScrapinghubRecord> items,
        PCollection<String> finishedKeys, UpdateJobTags tagger) {
      this.pipeline = pipeline;
      this.scheduled = scheduled;
      this.finished = finished;
      this.timedOut = timedOut;
      this.items = items;
      this.finishedKeys = finishedKeys;
      this.tagger = tagger;
    }

    /**
     * The jobs scheduled (or found already scheduled) for the run requests.
     *
     * @return one element per run request that was scheduled
     */
    public PCollection<ScheduledJob> scheduled() {
      return scheduled;
    }

    /**
     * Jobs that finished (and whose items are read).
     *
     * @return one status per finished job
     */
    public PCollection<JobStatus> finished() {
      return finished;
    }

    /**
     * Jobs still waited for at the timeout, with timeout policies EMIT and CANCEL; their items are
     * not read.
     *
     * @return one status per job, as last polled before the timeout
     */
    public PCollection<JobStatus> timedOut() {
      return timedOut;
    }

    /**
     * The items of the finished jobs.
     *
     * @return every record of every finished job, each once
     */
    public PCollection<ScrapinghubRecord> items() {
      return items;
    }

    /**
     * Tags the finished jobs as consumed once {@code signal} is complete (e.g. the file names of
     * the write of {@link #items()}), using {@link Wait#on}: a job is tagged only after what was
     * read from it is written. Tagging is idempotent. A job that cannot be tagged goes to the
     * crawl's {@code withBadRecordErrorHandler} handler (call this before closing it), or, without
     * one, fails the pipeline naming the job.
     *
     * @param signal any collection that is complete once the items are safely written
     * @return the jobs tagged
     */
    public JobsResult<String> markConsumedAfter(PCollection<?> signal) {
      return finishedKeys.apply("WaitForWrites", Wait.on(signal)).apply("TagConsumed", tagger);
    }

    @Override
    public Pipeline getPipeline() {
      return pipeline;
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      return Map.of(new TupleTag<ScheduledJob>("scheduled"), scheduled, new TupleTag<JobStatus>("finished"), finished,
          new TupleTag<JobStatus>("timedOut"), timedOut, new TupleTag<ScrapinghubRecord>("items"), items);
    }

    @Override
    public void finishSpecifyingOutput(String transformName, PInput input, PTransform<?, ?> transform) {}
  }

  private static String nonEmpty(String what, String s) {
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException(what + " must be a non-empty string, but was " + (s == null ? "null" : "'" + s + "'"));
    }
    return s;
  }

  private static <T> T required(String name, T value, String expected) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must be " + expected + ", but was null");
    }
    return value;
  }
}
