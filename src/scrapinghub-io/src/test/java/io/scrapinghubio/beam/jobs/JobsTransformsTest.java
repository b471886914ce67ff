package io.scrapinghubio.beam.jobs;

import io.scrapinghubio.beam.failure.ScrapinghubFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.beam.CrawlAndRead;
import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.Job;
import io.scrapinghubio.client.core.RetryPolicy;
import io.scrapinghubio.client.RunRequest;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import io.scrapinghubio.emulator.log.LoggedRequest;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import io.scrapinghubio.emulator.store.JobState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The job transforms end to end on the Direct runner against the emulator with crawls that run. */
class JobsTransformsTest {
  static final String KEY = "0123456789abcdef0123456789abcdef";

  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(KEY)
      .crawlSimulation(CrawlSimulation.builder().pendingTime(Duration.ofMillis(10)).runningTime(Duration.ofMillis(150))
          .itemsPerJob(5).unitsCapacity(6).build());

  static final RetryPolicy FAST = RetryPolicy.of(5, Duration.ofMillis(5), Duration.ofMillis(50), Duration.ofSeconds(20));
  private static final AtomicLong PROJECTS = new AtomicLong(7000);

  /** Everything the DoFns record goes through static collections (the Direct runner serialises DoFns). */
  static final ConcurrentLinkedQueue<Object> SEEN = new ConcurrentLinkedQueue<>();

  private ScrapyCloudEmulator emu;
  private ClientConfig config;
  private ScrapinghubConnection connection;
  private ScrapinghubClient client;
  private long project;

  @BeforeEach
  void setUp() {
    emu = EMU.emulator();
    config = ClientConfig.builder().apiKey(KEY).storageEndpoint(emu.storageUrl()).dashEndpoint(emu.dashUrl())
        .retryPolicy(FAST).build();
    connection = ScrapinghubConnection.fromClientConfig(config);
    client = ScrapinghubClient.create(config);
    project = PROJECTS.incrementAndGet();
    emu.state().addSpider(project, "books"); // the project exists and its spider is deployed, as on a real account
    SEEN.clear();
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  static Pipeline pipeline() {
    return Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner", "--blockOnRun=true").create());
  }

  private PCollection<RunRequest> requests(Pipeline p, RunRequest... r) {
    return p.apply(Create.of(List.of(r)).withCoder(SerializableCoder.of(RunRequest.class)));
  }

  private PCollection<String> keys(Pipeline p, String... k) {
    return p.apply(Create.of(List.of(k)).withCoder(StringUtf8Coder.of()));
  }

  /** Collects the elements of a PCollection into {@link #SEEN}. */
  static <T> void collect(PCollection<T> c) {
    c.apply("Collect" + SEEN_IDS.incrementAndGet(), ParDo.of(new DoFn<T, Void>() {
      @ProcessElement
      public void process(@Element T e) {
        SEEN.add(e);
      }
    }));
  }

  private static final AtomicLong SEEN_IDS = new AtomicLong();

  @SuppressWarnings("unchecked")
  static <T> List<T> seen(Class<T> type) {
    return SEEN.stream().filter(type::isInstance).map(o -> (T) o).collect(Collectors.toList());
  }

  private List<JobState> jobs() {
    return emu.state().project(project).jobs();
  }

  private ScheduleJobs schedule() {
    return ScrapinghubIO.scheduleJobs().withProject(project).withConnection(connection);
  }

  private AwaitJobs await() {
    return ScrapinghubIO.awaitJobs().withConnection(connection).withPollInterval(Duration.ofMillis(40));
  }

  private void waitFinished(String key) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (!"finished".equals(emu.state().job(key).orElseThrow().state())) {
      assertTrue(System.currentTimeMillis() < deadline, key + " did not finish");
      Thread.sleep(10);
    }
  }

  // ------------------------------------------------------------------ schedule

  @Test
  void schedulesWithEveryOption() {
    RunRequest r = RunRequest.of("books").withArg("category", "poetry").withArg("items", "3")
        .withJobSettings(Map.of("CLOSESPIDER_ITEMCOUNT", 3)).withUnits(3).withPriority(4).withTags("nightly", "team-a")
        .withMeta(Map.of("owner", "data")).withEnvironment(Map.of("MODE", "test")).withCmdArgs("-s LOG_LEVEL=INFO")
        .withParam("subid", "x1");
    Pipeline p = pipeline();
    JobsResult<ScheduledJob> out = requests(p, r).apply(schedule());
    collect(out.output());
    p.run().waitUntilFinish();
    // No failure: without an error handler the first one would have failed the run.

    List<ScheduledJob> jobs = seen(ScheduledJob.class);
    assertEquals(1, jobs.size());
    ScheduledJob s = jobs.get(0);
    assertEquals(ScheduledJob.Outcome.SCHEDULED, s.outcome());
    assertEquals(r, s.request());
    assertTrue(s.requestTag().startsWith("sio-req:") && s.requestTag().length() == 28, s.requestTag());
    Map<String, Object> meta = emu.state().job(s.jobKey()).orElseThrow().metadata();
    assertEquals(Map.of("category", "poetry", "items", "3", "subid", "x1"), meta.get("spider_args"));
    assertEquals(Map.of("CLOSESPIDER_ITEMCOUNT", 3), meta.get("job_settings"));
    assertEquals(3, meta.get("units"));
    assertEquals(4, meta.get("priority"));
    assertEquals(List.of("nightly", "team-a", s.requestTag()), meta.get("tags"));
    assertEquals("data", meta.get("owner"));
    assertEquals(Map.of("MODE", "test"), meta.get("environment"));
    assertEquals("-s LOG_LEVEL=INFO", meta.get("cmd_args"));
  }

  @Test
  void requestTagsAreDeterministicPerScope() {
    RunRequest a = RunRequest.of("books").withArg("category", "x").withArg("items", "1");
    RunRequest b = RunRequest.of("books").withArg("items", "1").withArg("category", "x").withTags("other");
    assertEquals(RequestTags.tag(a, "s"), RequestTags.tag(b, "s"), "argument order and user tags do not matter");
    assertFalse(RequestTags.tag(a, "s").equals(RequestTags.tag(a, "t")));
    assertFalse(RequestTags.tag(a, "s").equals(RequestTags.tag(a.withArg("category", "y"), "s")));
  }

  private Job longRunning(String category) {
    return client.getProject(project).jobs().run(RunRequest.of("books").withArg("category", category).withArg("run_ms", "60000"));
  }

  private RunRequest sameAs(String category) {
    return RunRequest.of("books").withArg("category", category).withArg("run_ms", "60000");
  }

  @Test
  void duplicatePolicyFail() {
    longRunning("dup");
    Pipeline p = pipeline();
    JobFailures failures = JobFailures.register(p);
    JobsResult<ScheduledJob> out = requests(p, sameAs("dup")).apply(schedule().withBadRecordErrorHandler(failures.handler()));
    collect(out.output());
    failures.close();
    p.run().waitUntilFinish();
    assertTrue(seen(ScheduledJob.class).isEmpty());
    JobFailure f = failures.get().get(0);
    assertEquals(ScrapinghubFailure.Kind.DUPLICATE_JOB, f.kind());
    assertEquals("schedule", f.operation());
    assertEquals(sameAs("dup"), f.request());
    assertEquals(1, jobs().size());
  }

  @Test
  void duplicatePolicyFailWithoutAHandlerFailsThePipeline() {
    longRunning("dup");
    Pipeline p = pipeline();
    requests(p, sameAs("dup")).apply(schedule());
    Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    assertTrue(String.valueOf(e.getMessage()).contains("already scheduled"), e.getMessage());
  }

  @Test
  void duplicatePolicySkip() {
    longRunning("dup");
    Pipeline p = pipeline();
    JobsResult<ScheduledJob> out = requests(p, sameAs("dup"), sameAs("fresh")).apply(schedule().withDuplicatePolicy(DuplicatePolicy.SKIP));
    collect(out.output());
    p.run().waitUntilFinish();
    // No failure: without an error handler the first one would have failed the run.
    assertEquals(1, seen(ScheduledJob.class).size(), "only the fresh request is scheduled");
    assertEquals("fresh", seen(ScheduledJob.class).get(0).request().args().get("category"));
    assertEquals(2, jobs().size());
  }

  @Test
  void duplicatePolicyReturnExisting() {
    Job existing = longRunning("dup");
    Pipeline p = pipeline();
    JobsResult<ScheduledJob> out = requests(p, sameAs("dup")).apply(schedule().withDuplicatePolicy(DuplicatePolicy.RETURN_EXISTING));
    collect(out.output());
    p.run().waitUntilFinish();
    ScheduledJob s = seen(ScheduledJob.class).get(0);
    assertEquals(ScheduledJob.Outcome.EXISTING, s.outcome());
    assertEquals(existing.key().toString(), s.jobKey());
    assertTrue(((List<?>) emu.state().job(s.jobKey()).orElseThrow().get("tags")).contains(s.requestTag()),
        "the existing job gets the request's tag, so retries find it");
    assertEquals(1, jobs().size());
  }

  /** Fails the first bundle it sees after scheduling: the scheduling of that bundle is then done again. */
  static final AtomicBoolean FAILED_ONCE = new AtomicBoolean();

  static final class FailOnceFn extends DoFn<ScheduledJob, ScheduledJob> {
    @ProcessElement
    public void process(@Element ScheduledJob j, OutputReceiver<ScheduledJob> out) {
      if (FAILED_ONCE.compareAndSet(false, true)) {
        throw new IllegalStateException("injected failure after scheduling " + j.jobKey());
      }
      out.output(j);
    }
  }

  static final class CollectFn extends DoFn<ScheduledJob, Void> {
    @ProcessElement
    public void process(@Element ScheduledJob j) {
      SEEN.add(j);
    }
  }

  /**
   * The jobs of this test's project once the failed run's last bundles have finished: the Direct
   * runner reports a failure while its other bundles may still be scheduling and emitting, and
   * what they do after the retry has started would make the counts race.
   */
  private int settledJobCount() {
    int last = -1;
    int same = 0;
    for (int i = 0; i < 100 && same < 3; i++) {
      int n = jobs().size();
      same = n == last ? same + 1 : 0;
      last = n;
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return last;
  }

  @Test
  void aRetriedBundleNeverSchedulesTheSameCrawlTwice() {
    FAILED_ONCE.set(false);
    Pipeline p = pipeline();
    JobsResult<ScheduledJob> out = requests(p,
        RunRequest.of("books").withArg("category", "a").withArg("run_ms", "60000"),
        RunRequest.of("books").withArg("category", "b").withArg("run_ms", "60000"),
        RunRequest.of("books").withArg("category", "c").withArg("run_ms", "60000"))
        .apply(schedule());
    collect(out.output().apply(ParDo.of(new FailOnceFn())));
    // The Direct runner does not retry bundles itself: running the same pipeline (same DoFns,
    // same serialised dedupe scope) again is exactly what a runner's retry of the bundle does.
    assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    assertTrue(FAILED_ONCE.get());
    int afterFirst = settledJobCount();
    assertTrue(afterFirst >= 1, "the failed attempt scheduled before failing");
    SEEN.clear();
    p.run().waitUntilFinish();

    assertEquals(3, jobs().size(), "exactly one job per request");
    List<ScheduledJob> jobs = seen(ScheduledJob.class);
    assertEquals(3, jobs.size());
    assertEquals(3, jobs.stream().map(ScheduledJob::jobKey).distinct().count());
    assertEquals(afterFirst, jobs.stream().filter(j -> j.outcome() == ScheduledJob.Outcome.ALREADY_SCHEDULED).count(),
        "jobs of the failed attempt are found by tag");
  }

  @Test
  void appApi5xxAnd429AreRetried() {
    emu.faults().failNext(2, 503, "POST", ".*/api/run\\.json");
    emu.faults().failNext(1, 429, "POST", ".*/api/run\\.json");
    emu.faults().failNext(2, 502, "POST", ".*/api/jobs/update\\.json");
    emu.faults().failNext(1, 429, "POST", ".*/api/jobs/update\\.json");
    Pipeline p = pipeline();
    JobsResult<ScheduledJob> out = requests(p, RunRequest.of("books").withArg("category", "retry"))
        .apply(schedule());
    JobsResult<String> tagged = out.output()
        .apply(MapElements.into(TypeDescriptors.strings()).via(ScheduledJob::jobKey))
        .apply(ScrapinghubIO.updateJobTags().withConnection(connection).withAdd("seen"));
    collect(tagged.output());
    p.run().waitUntilFinish();
    // No failure: without an error handler the first one would have failed the run.
    assertEquals(1, jobs().size());
    assertTrue(((List<?>) jobs().get(0).get("tags")).contains("seen"));
    assertEquals(6, emu.faults().injectedCount());
    assertEquals(4, emu.requestLog().matching("POST", ".*/api/run\\.json").size());
  }

  /**
   * The dangerous case for a non-idempotent call: the service schedules the job, then the answer
   * is lost. The retry must find the job by its request tag instead of scheduling a second crawl.
   */
  @Test
  void aLostRunAnswerNeverSchedulesTheCrawlTwice() {
    emu.faults().rule().method("POST").path(".*/api/run\\.json").resetAfterHandling().times(1);
    Pipeline p = pipeline();
    JobsResult<ScheduledJob> out = requests(p, RunRequest.of("books").withArg("category", "lost-ack")).apply(schedule());
    collect(out.output());
    p.run().waitUntilFinish();
    // No failure: without an error handler the first one would have failed the run.
    assertEquals(1, emu.faults().injectedCount(io.scrapinghubio.emulator.fault.FaultKind.RESET_AFTER_HANDLING));
    assertEquals(1, jobs().size(), "the job the lost answer scheduled, and no second one");
    List<ScheduledJob> scheduled = seen(ScheduledJob.class);
    assertEquals(1, scheduled.size());
    assertEquals(jobs().get(0).key(), scheduled.get(0).jobKey());
  }

  @Test
  void scheduleGivesUpWithATypedFailureWhenRetriesAreExhausted() {
    emu.faults().failNext(10, 503, "POST", ".*/api/run\\.json");
    Pipeline p = pipeline();
    JobFailures failures = JobFailures.register(p);
    requests(p, RunRequest.of("books").withArg("category", "down")).apply(schedule().withBadRecordErrorHandler(failures.handler()));
    failures.close();
    p.run().waitUntilFinish();
    JobFailure f = failures.get().get(0);
    assertEquals(ScrapinghubFailure.Kind.SERVER_ERROR, f.kind());
    assertEquals(503, f.status());
    assertEquals(5, f.attempts());
    assertEquals(0, jobs().size());
  }

  // ------------------------------------------------------------------ await

  @Test
  void awaitEmitsJobsFinishingAtDifferentTimesPollingThemTogether() throws Exception {
    List<String> keys = new ArrayList<>();
    for (String c : List.of("a", "b", "c")) {
      keys.add(longRunning(c).key().toString());
    }
    emu.requestLog().clear();
    String pollPath = ".*/jobq/" + project + "/jobsummary";
    // Finishes one job after each poll seen: a, then b, then c.
    Thread finisher = new Thread(() -> {
      for (String k : keys) {
        int before = emu.requestLog().matching("GET", pollPath).size();
        // However long the pipeline takes to start (its first poll comes after it is up).
        emu.requestLog().awaitMatching("GET", pollPath, before + 1, Duration.ofMinutes(2));
        emu.state().setJobState(k, "finished");
      }
    });
    finisher.start();
    Pipeline p = pipeline();
    AwaitJobs.Result r = keys(p, keys.toArray(new String[0])).apply(await());
    collect(r.finished());
    p.run().waitUntilFinish();
    finisher.join();
    // No failure: without an error handler the first one would have failed the run.
    List<JobStatus> done = seen(JobStatus.class);
    assertEquals(3, done.size());
    assertEquals(new java.util.HashSet<>(keys), done.stream().map(JobStatus::jobKey).collect(Collectors.toSet()));
    for (JobStatus s : done) {
      assertEquals("finished", s.state());
    }
    List<LoggedRequest> polls = emu.requestLog().matching("GET", pollPath);
    assertTrue(polls.size() >= 4, "a poll per finishing job, at least: " + polls.size());
    assertEquals(3, polls.get(0).query().get("key").size(), "one request polls the whole batch");
    assertEquals(List.of(keys.get(2)), polls.get(polls.size() - 1).query().get("key"),
        "jobs already emitted are no longer polled");
  }

  @Test
  void awaitReportsItemCountsOfRealCrawls() {
    List<String> keys = new ArrayList<>();
    for (String[] c : new String[][] {{"a", "50", "2"}, {"b", "300", "4"}}) {
      keys.add(client.getProject(project).jobs().run(RunRequest.of("books").withArg("category", c[0])
          .withArg("run_ms", c[1]).withArg("items", c[2])).key().toString());
    }
    Pipeline p = pipeline();
    collect(keys(p, keys.toArray(new String[0])).apply(await()).finished());
    p.run().waitUntilFinish();
    Map<String, Long> items = seen(JobStatus.class).stream().collect(Collectors.toMap(JobStatus::jobKey, JobStatus::items));
    assertEquals(Map.of(keys.get(0), 2L, keys.get(1), 4L), items);
  }

  @Test
  void awaitHandlesCancelledJobs() throws Exception {
    Job cancelled = longRunning("cancel-me");
    Job fine = client.getProject(project).jobs().run(RunRequest.of("books").withArg("category", "fine").withArg("run_ms", "100"));
    Thread canceller = new Thread(() -> {
      try {
        Thread.sleep(200);
        cancelled.cancel();
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
    });
    canceller.start();
    Pipeline p = pipeline();
    AwaitJobs.Result r = keys(p, cancelled.key().toString(), fine.key().toString()).apply(await());
    collect(r.finished());
    p.run().waitUntilFinish();
    canceller.join();
    Map<String, String> reasons = seen(JobStatus.class).stream().collect(Collectors.toMap(JobStatus::jobKey, JobStatus::closeReason));
    assertEquals(Map.of(cancelled.key().toString(), "cancelled", fine.key().toString(), "finished"), reasons);

    SEEN.clear();
    Pipeline p2 = pipeline();
    JobFailures failures = JobFailures.register(p2);
    AwaitJobs.Result r2 = keys(p2, cancelled.key().toString(), fine.key().toString())
        .apply(await().withAcceptedCloseReasons("finished").withBadRecordErrorHandler(failures.handler()));
    collect(r2.finished());
    failures.close();
    p2.run().waitUntilFinish();
    assertEquals(List.of(fine.key().toString()), seen(JobStatus.class).stream().map(JobStatus::jobKey).collect(Collectors.toList()));
    JobFailure f = failures.get().get(0);
    assertEquals(ScrapinghubFailure.Kind.CLOSE_REASON, f.kind());
    assertEquals(cancelled.key().toString(), f.jobKey());
  }

  @Test
  void awaitTimeoutPolicies() throws Exception {
    Job slow = longRunning("slow");
    Job quick = client.getProject(project).jobs().run(RunRequest.of("books").withArg("category", "quick").withArg("run_ms", "20"));
    String[] both = {slow.key().toString(), quick.key().toString()};

    Pipeline p = pipeline();
    JobFailures failures = JobFailures.register(p);
    AwaitJobs.Result r = keys(p, both).apply(await().withTimeout(Duration.ofMillis(400)).withBadRecordErrorHandler(failures.handler()));
    collect(r.finished());
    failures.close();
    p.run().waitUntilFinish();
    assertEquals(List.of(quick.key().toString()), seen(JobStatus.class).stream().map(JobStatus::jobKey).collect(Collectors.toList()));
    assertEquals(ScrapinghubFailure.Kind.TIMEOUT, failures.get().get(0).kind());
    assertEquals(slow.key().toString(), failures.get().get(0).jobKey());

    // Without a handler the same timeout (policy FAIL, the default) fails the run, naming the job.
    SEEN.clear();
    Pipeline p1 = pipeline();
    keys(p1, slow.key().toString()).apply(await().withTimeout(Duration.ofMillis(200)));
    Exception e = assertThrows(Exception.class, () -> p1.run().waitUntilFinish());
    String chain = messages(e);
    assertTrue(chain.contains("TIMEOUT: await of job " + slow.key()) && chain.contains("still running"), chain);

    SEEN.clear();
    Pipeline p2 = pipeline();
    JobFailures failures2 = JobFailures.register(p2);
    AwaitJobs.Result r2 = keys(p2, slow.key().toString()).apply(await().withTimeout(Duration.ofMillis(200))
        .withTimeoutPolicy(TimeoutPolicy.EMIT).withBadRecordErrorHandler(failures2.handler()));
    collect(r2.timedOut());
    failures2.close();
    p2.run().waitUntilFinish();
    JobStatus timedOut = seen(JobStatus.class).get(0);
    assertEquals("running", timedOut.state());
    assertTrue(failures2.get().isEmpty(), "a timed-out job is an output under EMIT, not a failure: " + failures2.get());

    SEEN.clear();
    Pipeline p3 = pipeline();
    AwaitJobs.Result r3 = keys(p3, slow.key().toString()).apply(await().withTimeout(Duration.ofMillis(200))
        .withTimeoutPolicy(TimeoutPolicy.CANCEL));
    collect(r3.timedOut());
    p3.run().waitUntilFinish();
    assertEquals(1, seen(JobStatus.class).size());
    waitFinished(slow.key().toString());
    assertEquals("cancelled", emu.state().job(slow.key().toString()).orElseThrow().get("close_reason"));
  }

  /** The failures of the job transforms go, as Beam BadRecords, to an ErrorHandler: schedule, await, tag, cancel. */
  @Test
  void jobFailuresGoToTheErrorHandlerAsBadRecords() throws Exception {
    longRunning("dup-routed");
    String finished = emu.state().addJob(project, "products", JobState.FINISHED, Map.of()).key();
    String missing = project + "/1/999";
    ScrapinghubConnection connection = ScrapinghubConnection.fromClientConfig(config);
    Pipeline p = pipeline();
    try (org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler<?> handler =
        io.scrapinghubio.beam.BadRecordsSink.register(p, "jobs")) {
      JobsResult<ScheduledJob> scheduled = requests(p, sameAs("dup-routed")).apply(schedule().withBadRecordErrorHandler(handler));
      AwaitJobs.Result awaited = p.apply("AwaitKeys", Create.of(List.of(finished, missing, "not-a-key")).withCoder(StringUtf8Coder.of()))
          .apply(await().withBadRecordErrorHandler(handler));
      JobsResult<String> tagged = p.apply("TagKeys", Create.of(List.of(finished, missing)).withCoder(StringUtf8Coder.of()))
          .apply(ScrapinghubIO.updateJobTags().withConnection(connection).withAdd("seen").withBadRecordErrorHandler(handler));
      JobsResult<String> cancelled = p.apply("CancelKeys", Create.of(List.of(missing)).withCoder(StringUtf8Coder.of()))
          .apply(ScrapinghubIO.cancelJobs().withConnection(connection).withBadRecordErrorHandler(handler));
      collect(tagged.output());
      collect(awaited.finished());
      collect(scheduled.output());
      collect(cancelled.output());
    }
    p.run().waitUntilFinish();
    assertEquals(List.of(finished), seen(String.class), "the job that exists is tagged");
    Map<String, org.apache.beam.sdk.transforms.errorhandling.BadRecord> byDescription = new java.util.TreeMap<>();
    for (org.apache.beam.sdk.transforms.errorhandling.BadRecord b : io.scrapinghubio.beam.BadRecordsSink.get("jobs")) {
      byDescription.put(b.getFailure().getDescription(), b);
      for (String part : List.of(b.toString(), b.getFailure().getException(), b.getFailure().getExceptionStacktrace())) {
        assertFalse(part.contains(KEY), "the API key in a bad record");
      }
      assertTrue(b.getFailure().getException().contains(b.getFailure().getDescription()), b.getFailure().getException());
    }
    List<String> descriptions = new ArrayList<>(byDescription.keySet());
    assertEquals(5, descriptions.size(), String.valueOf(descriptions));
    assertTrue(descriptions.stream().anyMatch(d -> d.startsWith("DUPLICATE_JOB: schedule of request ")
        && d.contains("dup-routed") && d.contains(" after 1 attempt(s): ")), String.valueOf(descriptions));
    assertTrue(descriptions.stream().anyMatch(d -> d.startsWith("NOT_FOUND: await of job " + missing)), String.valueOf(descriptions));
    assertTrue(descriptions.stream().anyMatch(d -> d.startsWith("INVALID_INPUT: await of job not-a-key")), String.valueOf(descriptions));
    assertTrue(descriptions.stream().anyMatch(d -> d.startsWith("NOT_FOUND: updateTags of job " + missing + " (HTTP 404)")),
        String.valueOf(descriptions));
    assertTrue(descriptions.stream().anyMatch(d -> d.startsWith("NOT_FOUND: cancel of job " + missing + " (HTTP 404)")),
        String.valueOf(descriptions));
    for (org.apache.beam.sdk.transforms.errorhandling.BadRecord b : byDescription.values()) {
      byte[] encoded = b.getRecord().getEncodedRecord();
      if (b.getFailure().getDescription().contains("schedule of request")) {
        assertEquals(sameAs("dup-routed"), SerializableCoder.of(RunRequest.class).decode(new java.io.ByteArrayInputStream(encoded)),
            "the run request, decodable");
      } else {
        String key = StringUtf8Coder.of().decode(new java.io.ByteArrayInputStream(encoded));
        assertTrue(b.getFailure().getDescription().contains("of job " + key + " ") || b.getFailure().getDescription().contains("of job " + key + ":"),
            b.getFailure().getDescription());
        assertEquals("\"" + key + "\"", b.getRecord().getHumanReadableJsonRecord());
      }
    }
  }

  /** The same failure without a handler fails the pipeline naming the job. */
  @Test
  void withoutAHandlerATagOfAMissingJobFailsNamingIt() {
    String missing = project + "/1/998";
    Pipeline p = pipeline();
    p.apply(Create.of(List.of(missing)).withCoder(StringUtf8Coder.of()))
        .apply(ScrapinghubIO.updateJobTags().withConnection(ScrapinghubConnection.fromClientConfig(config)).withAdd("seen"));
    Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    String all = messages(e);
    assertTrue(all.contains("NOT_FOUND: updateTags of job " + missing + " (HTTP 404)"), all);
    assertFalse(all.contains(KEY), "no API key in the failure");
  }

  /** Without a handler, a malformed key fails awaitJobs and cancelJobs naming the key. */
  @Test
  void withoutAHandlerAMalformedKeyFailsNamingIt() {
    for (String transform : List.of("await", "cancel")) {
      Pipeline p = pipeline();
      PCollection<String> bad = p.apply(Create.of(List.of("not-a-key")).withCoder(StringUtf8Coder.of()));
      if (transform.equals("await")) {
        bad.apply(await());
      } else {
        bad.apply(ScrapinghubIO.cancelJobs().withConnection(connection));
      }
      Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
      String all = messages(e);
      assertTrue(all.contains("INVALID_INPUT: " + transform + " of job not-a-key"), all);
    }
  }

  /** The messages of {@code e} and its causes, one after the other. */
  static String messages(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append(" | ");
    }
    return all.toString();
  }

  @Test
  void aNullHandlerIsRefusedAtOnceByEveryJobTransform() {
    for (org.junit.jupiter.api.function.Executable x : List.<org.junit.jupiter.api.function.Executable>of(
        () -> ScrapinghubIO.scheduleJobs().withBadRecordErrorHandler(null), () -> ScrapinghubIO.awaitJobs().withBadRecordErrorHandler(null),
        () -> ScrapinghubIO.updateJobTags().withBadRecordErrorHandler(null), () -> ScrapinghubIO.cancelJobs().withBadRecordErrorHandler(null),
        () -> ScrapinghubIO.deleteJobs().withBadRecordErrorHandler(null), () -> ScrapinghubIO.crawlAndRead().withBadRecordErrorHandler(null))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, x);
      assertTrue(e.getMessage().contains("withBadRecordErrorHandler(handler) needs a handler"), e.getMessage());
    }
  }

  @Test
  void awaitRunningTargetAndUnknownOrMalformedKeys() {
    Job slow = longRunning("target");
    Pipeline p = pipeline();
    JobFailures failures = JobFailures.register(p);
    AwaitJobs.Result r = keys(p, slow.key().toString(), project + "/1/999", "not-a-key")
        .apply(await().withTargetState("running").withBadRecordErrorHandler(failures.handler()));
    collect(r.finished());
    failures.close();
    p.run().waitUntilFinish();
    assertEquals("running", seen(JobStatus.class).get(0).state());
    Map<String, ScrapinghubFailure.Kind> kinds = failures.get().stream().collect(Collectors.toMap(JobFailure::jobKey, JobFailure::kind));
    assertEquals(Map.of(project + "/1/999", ScrapinghubFailure.Kind.NOT_FOUND, "not-a-key", ScrapinghubFailure.Kind.INVALID_INPUT), kinds);
  }

  // ------------------------------------------------------------------ tags, cancel, delete

  @Test
  void updateTagsCancelAndDeleteAreIdempotent() {
    Job a = longRunning("t1");
    Job b = longRunning("t2");
    a.updateTags(List.of("old"), List.of());
    String ka = a.key().toString();
    String kb = b.key().toString();
    for (int round = 0; round < 2; round++) {
      SEEN.clear();
      Pipeline p = pipeline();
      JobsResult<String> tagged = keys(p, ka, kb).apply("Tag",
          ScrapinghubIO.updateJobTags().withConnection(connection).withAdd("done", "x").withRemove("old"));
      JobsResult<String> cancelled = keys(p, kb).apply("Cancel", ScrapinghubIO.cancelJobs().withConnection(connection));
      collect(tagged.output());
      collect(cancelled.output());
      p.run().waitUntilFinish();
      // No failure: without an error handler the first one would have failed the run.
      assertEquals(3, seen(String.class).size());
      List<?> tags = (List<?>) emu.state().job(ka).orElseThrow().get("tags");
      assertTrue(tags.contains("done") && tags.contains("x") && !tags.contains("old"), String.valueOf(tags));
      assertEquals(1, tags.stream().filter("done"::equals).count());
    }
    emu.advanceCrawls();
    assertEquals("cancelled", emu.state().job(kb).orElseThrow().get("close_reason"));

    for (int round = 0; round < 2; round++) {
      SEEN.clear();
      Pipeline p = pipeline();
      JobFailures failures = JobFailures.register(p);
      JobsResult<String> deleted = keys(p, ka, project + "/1/999")
          .apply(ScrapinghubIO.deleteJobs().withConnection(connection).withBadRecordErrorHandler(failures.handler()));
      collect(deleted.output());
      failures.close();
      p.run().waitUntilFinish();
      assertEquals(List.of(ka), seen(String.class));
      assertEquals(ScrapinghubFailure.Kind.NOT_FOUND, failures.get().get(0).kind());
      assertEquals("deleted", emu.state().job(ka).orElseThrow().state());
    }
  }

  // ------------------------------------------------------------------ composite

  @Test
  void crawlAndReadEndToEnd(@TempDir Path dir) throws Exception {
    runCrawlAndRead(pipeline(), connection, project, dir);
    checkCrawlAndRead(emu, project, dir);
  }

  /** With a handler, crawlAndRead's consumed tagging sends a job it cannot tag there, as the other steps do. */
  @Test
  void crawlAndReadSendsAJobItCannotTagToItsErrorHandler(@TempDir Path dir) {
    // Refused, not retried: the tagging gives up at once.
    emu.faults().failNext(1, 403, "POST", ".*/api/jobs/update\\.json");
    Pipeline p = pipeline();
    JobFailures failures = JobFailures.register(p);
    CrawlAndRead.Result crawl = requests(p, RunRequest.of("books").withArg("category", "untagged").withArg("items", "2")
        .withArg("run_ms", "50"))
        .apply(ScrapinghubIO.crawlAndRead().withProject(project).withConnection(connection)
            .withPollInterval(Duration.ofMillis(50)).withTimeout(Duration.ofMinutes(1)).withBadRecordErrorHandler(failures.handler()));
    WriteFilesResult<Void> written = crawl.items()
        .apply(MapElements.into(TypeDescriptors.strings()).via(ScrapinghubRecord::json))
        .apply(TextIO.write().to(dir.resolve("items").toString()).withSuffix(".jl").withOutputFilenames());
    crawl.markConsumedAfter(written.getPerDestinationOutputFilenames());
    failures.close();
    p.run().waitUntilFinish();
    String job = jobs().get(0).key();
    assertEquals(List.of(new JobFailure("updateTags", null, job, ScrapinghubFailure.Kind.FORBIDDEN, 403,
        failures.get().get(0).message(), 1)), failures.get());
    assertFalse(((List<?>) jobs().get(0).get("tags")).contains("consumed"), String.valueOf(jobs().get(0).get("tags")));
  }

  static void runCrawlAndRead(Pipeline p, ScrapinghubConnection connection, long project, Path dir) {
    PCollection<RunRequest> requests = p.apply(Create.of(List.of(
        RunRequest.of("books").withArg("category", "poetry").withArg("items", "4").withArg("run_ms", "100"),
        RunRequest.of("books").withArg("category", "travel").withArg("items", "7").withArg("run_ms", "300"),
        RunRequest.of("books").withArg("category", "history").withArg("items", "0").withArg("run_ms", "50")))
        .withCoder(SerializableCoder.of(RunRequest.class)));
    CrawlAndRead.Result crawl = requests.apply(ScrapinghubIO.crawlAndRead().withProject(project).withConnection(connection)
        .withPollInterval(Duration.ofMillis(50)).withTimeout(Duration.ofMinutes(1)));
    WriteFilesResult<Void> written = crawl.items()
        .apply(MapElements.into(TypeDescriptors.strings()).via(ScrapinghubRecord::json))
        .apply(TextIO.write().to(dir.resolve("items").toString()).withSuffix(".jl").withOutputFilenames());
    crawl.markConsumedAfter(written.getPerDestinationOutputFilenames());
    p.run().waitUntilFinish();
  }

  static void checkCrawlAndRead(ScrapyCloudEmulator emu, long project, Path dir) throws Exception {
    List<String> lines = new ArrayList<>();
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(x -> x.getFileName().toString().startsWith("items")).collect(Collectors.toList())) {
        lines.addAll(Files.readAllLines(f));
      }
    }
    List<String> expected = new ArrayList<>();
    for (String[] c : new String[][] {{"poetry", "4"}, {"travel", "7"}}) {
      for (int i = 0; i < Integer.parseInt(c[1]); i++) {
        expected.add(io.scrapinghubio.client.json.Json.write(io.scrapinghubio.client.json.Json.MAPPER.valueToTree(
            CrawlSimulation.item("books", Map.of("category", c[0]), i))));
      }
    }
    assertEquals(expected.stream().sorted().collect(Collectors.toList()),
        lines.stream().map(l -> io.scrapinghubio.client.json.Json.write(io.scrapinghubio.client.json.Json.parse(l)))
            .sorted().collect(Collectors.toList()));
    List<JobState> jobs = emu.state().project(project).jobs();
    assertEquals(3, jobs.size());
    for (JobState j : jobs) {
      assertEquals("finished", j.state());
      assertTrue(((List<?>) j.get("tags")).contains("consumed"), j.key() + " tags " + j.get("tags"));
    }
  }

  // ------------------------------------------------------------------ specs

  @Test
  void specsValidateAtOnceAndHideTheKey() {
    assertThrows(IllegalArgumentException.class, () -> ScrapinghubIO.scheduleJobs().withProject(0));
    assertThrows(IllegalArgumentException.class, () -> ScrapinghubIO.scheduleJobs().withDedupeId(" "));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ScrapinghubIO.awaitJobs().withPollInterval(Duration.ZERO));
    assertTrue(e.getMessage().contains("PT0S"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ScrapinghubIO.awaitJobs().withTargetState("pending"));
    assertTrue(e.getMessage().contains("'pending'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ScrapinghubIO.awaitJobs().withTimeout(Duration.ofSeconds(-1)));
    assertThrows(IllegalArgumentException.class, () -> ScrapinghubIO.awaitJobs().withMaxJobsPerRequest(0));
    assertThrows(IllegalArgumentException.class, () -> ScrapinghubIO.updateJobTags().withAdd(""));
    assertThrows(IllegalArgumentException.class, () -> ScrapinghubIO.crawlAndRead().withConsumedTag(null));
    assertThrows(IllegalArgumentException.class, () -> RunRequest.of("books").withUnits(7));
    assertThrows(IllegalArgumentException.class, () -> RunRequest.of("books").withPriority(5));
    Pipeline p = pipeline();
    assertThrows(IllegalArgumentException.class, () -> requests(p, RunRequest.of("x")).apply(ScrapinghubIO.scheduleJobs()));
    assertThrows(IllegalArgumentException.class, () -> keys(p, "1/2/3").apply(ScrapinghubIO.updateJobTags()));

    for (Object t : List.of(schedule().withDedupeId("d"), await(), ScrapinghubIO.updateJobTags().withConnection(connection).withAdd("a"),
        ScrapinghubIO.cancelJobs().withConnection(connection), ScrapinghubIO.crawlAndRead().withConnection(connection))) {
      DisplayData dd = DisplayData.from((org.apache.beam.sdk.transforms.display.HasDisplayData) t);
      String all = dd.items().toString();
      assertFalse(all.contains(KEY), "display data must not show the key: " + all);
      assertTrue(all.contains(emu.storageUrl()), all);
    }
  }

  @Test
  void awaitTrackerCheckpointsAndSplits() {
    AwaitTracker t = new AwaitTracker(new AwaitRestriction(List.of("1/1/1", "1/1/2", "1/1/3", "1/1/4"), 5));
    assertTrue(t.tryClaim("1/1/2"));
    assertFalse(t.tryClaim("1/1/2"));
    assertFalse(t.tryClaim("9/9/9"));
    var half = t.trySplit(0.5);
    assertEquals(List.of("1/1/2", "1/1/1"), half.getPrimary().keys());
    assertEquals(List.of("1/1/3", "1/1/4"), half.getResidual().keys());
    assertTrue(t.tryClaim("1/1/1"));
    assertFalse(t.tryClaim("1/1/3"), "split away");
    t.checkDone();
    AwaitTracker t2 = new AwaitTracker(half.getResidual());
    var checkpoint = t2.trySplit(0);
    assertEquals(List.of(), checkpoint.getPrimary().keys());
    assertEquals(List.of("1/1/3", "1/1/4"), checkpoint.getResidual().keys());
    assertEquals(5, checkpoint.getResidual().startedAtMillis(), "the timeout keeps counting from the first poll");
    t2.checkDone();
    AwaitTracker t3 = new AwaitTracker(checkpoint.getResidual());
    assertThrows(IllegalStateException.class, t3::checkDone);
    StreamSupport.stream(List.of().spliterator(), false).count();
  }
}
