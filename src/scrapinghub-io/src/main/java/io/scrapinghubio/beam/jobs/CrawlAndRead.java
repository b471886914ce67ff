package io.scrapinghubio.beam.jobs;

import io.scrapinghubio.beam.read.ScrapinghubReadAll;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.client.RunRequest;
import java.time.Duration;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
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
public final class CrawlAndRead extends PTransform<PCollection<RunRequest>, CrawlAndRead.Result> {
  private static final long serialVersionUID = 1L;

  private final ScheduleJobs schedule;
  private final AwaitJobs await;
  private final ScrapinghubReadAll<ScrapinghubRecord> read;
  private final String consumedTag;

  private CrawlAndRead(ScheduleJobs schedule, AwaitJobs await, ScrapinghubReadAll<ScrapinghubRecord> read, String consumedTag) {
    this.schedule = schedule;
    this.await = await;
    this.read = read;
    this.consumedTag = consumedTag;
  }

  /** Use {@code ScrapinghubIO.crawlAndRead()}. */
  public static CrawlAndRead create() {
    return new CrawlAndRead(ScheduleJobs.create(), AwaitJobs.create(), ScrapinghubReadAll.create(), "consumed");
  }

  public CrawlAndRead withProject(long projectId) {
    return new CrawlAndRead(schedule.withProject(projectId), await, read, consumedTag);
  }

  /** How every step reaches Scrapy Cloud (endpoints, API key, timeouts, retries). */
  public CrawlAndRead withConnection(ScrapinghubConnection connection) {
    return new CrawlAndRead(schedule.withConnection(connection), await.withConnection(connection),
        read.withConnection(connection), consumedTag);
  }

  public CrawlAndRead withDuplicatePolicy(DuplicatePolicy policy) {
    return new CrawlAndRead(schedule.withDuplicatePolicy(policy), await, read, consumedTag);
  }

  public CrawlAndRead withDedupeId(String id) {
    return new CrawlAndRead(schedule.withDedupeId(id), await, read, consumedTag);
  }

  public CrawlAndRead withPollInterval(Duration d) {
    return new CrawlAndRead(schedule, await.withPollInterval(d), read, consumedTag);
  }

  public CrawlAndRead withTimeout(Duration d) {
    return new CrawlAndRead(schedule, await.withTimeout(d), read, consumedTag);
  }

  public CrawlAndRead withTimeoutPolicy(TimeoutPolicy p) {
    return new CrawlAndRead(schedule, await.withTimeoutPolicy(p), read, consumedTag);
  }

  /** Only read jobs finishing with one of these close reasons; others become failures. */
  public CrawlAndRead withAcceptedCloseReasons(String... reasons) {
    return new CrawlAndRead(schedule, await.withAcceptedCloseReasons(reasons), read, consumedTag);
  }

  /** The tag {@link Result#markConsumedAfter} adds (default {@code consumed}). */
  public CrawlAndRead withConsumedTag(String tag) {
    return new CrawlAndRead(schedule, await, read, JobsSpecs.tag(tag));
  }

  /** Replace the scheduling step's settings entirely. */
  public CrawlAndRead withSchedule(ScheduleJobs s) {
    return new CrawlAndRead(JobsSpecs.notNull("schedule", s), await, read, consumedTag);
  }

  /** Replace the waiting step's settings entirely. */
  public CrawlAndRead withAwait(AwaitJobs a) {
    return new CrawlAndRead(schedule, JobsSpecs.notNull("await", a), read, consumedTag);
  }

  /** Replace the reading step's settings entirely (page size, chunking, filters...). */
  public CrawlAndRead withRead(ScrapinghubReadAll<ScrapinghubRecord> r) {
    return new CrawlAndRead(schedule, await, JobsSpecs.notNull("read", r), consumedTag);
  }

  @Override
  public Result expand(PCollection<RunRequest> requests) {
    JobsResult<ScheduledJob> scheduled = requests.apply("Schedule", schedule);
    AwaitJobs.Result awaited = scheduled.output()
        .apply("ScheduledKeys", MapElements.into(TypeDescriptors.strings()).via(ScheduledJob::jobKey))
        .apply("Await", await);
    PCollection<String> finishedKeys = awaited.finished()
        .apply("FinishedKeys", MapElements.into(TypeDescriptors.strings()).via(JobStatus::jobKey));
    PCollection<ScrapinghubRecord> items = finishedKeys.apply("ReadItems", read);
    PCollection<JobFailure> failures = PCollectionList.of(scheduled.failures()).and(awaited.failures())
        .apply("Failures", Flatten.pCollections());
    UpdateJobTags tagger = UpdateJobTags.create().withConnection(schedule.connection()).withAdd(consumedTag);
    return new Result(requests.getPipeline(), scheduled.output(), awaited.finished(), awaited.timedOut(), items, failures,
        finishedKeys, tagger);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder b) {
    super.populateDisplayData(b);
    b.include("schedule", schedule);
    b.include("await", await);
    b.add(DisplayData.item("consumedTag", consumedTag).withLabel("Tag of consumed jobs"));
  }

  /** The outputs of {@code crawlAndRead()}. */
  public static final class Result implements POutput {
    private final Pipeline pipeline;
    private final PCollection<ScheduledJob> scheduled;
    private final PCollection<JobStatus> finished;
    private final PCollection<JobStatus> timedOut;
    private final PCollection<ScrapinghubRecord> items;
    private final PCollection<JobFailure> failures;
    private final PCollection<String> finishedKeys;
    private final UpdateJobTags tagger;

    Result(Pipeline pipeline, PCollection<ScheduledJob> scheduled, PCollection<JobStatus> finished,
        PCollection<JobStatus> timedOut, PCollection<ScrapinghubRecord> items, PCollection<JobFailure> failures,
        PCollection<String> finishedKeys, UpdateJobTags tagger) {
      this.pipeline = pipeline;
      this.scheduled = scheduled;
      this.finished = finished;
      this.timedOut = timedOut;
      this.items = items;
      this.failures = failures;
      this.finishedKeys = finishedKeys;
      this.tagger = tagger;
    }

    public PCollection<ScheduledJob> scheduled() {
      return scheduled;
    }

    /** Jobs that finished (and whose items are read). */
    public PCollection<JobStatus> finished() {
      return finished;
    }

    public PCollection<JobStatus> timedOut() {
      return timedOut;
    }

    /** The items of the finished jobs. */
    public PCollection<ScrapinghubRecord> items() {
      return items;
    }

    /** Requests that could not be scheduled and jobs that could not be awaited. */
    public PCollection<JobFailure> failures() {
      return failures;
    }

    /**
     * Tags the finished jobs as consumed once {@code signal} is complete (e.g. the file names of
     * the write of {@link #items()}), using {@link Wait#on}: a job is tagged only after what was
     * read from it is written. Tagging is idempotent.
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
          new TupleTag<JobStatus>("timedOut"), timedOut, new TupleTag<ScrapinghubRecord>("items"), items,
          new TupleTag<JobFailure>("failures"), failures);
    }

    @Override
    public void finishSpecifyingOutput(String transformName, PInput input, PTransform<?, ?> transform) {}
  }
}
