package io.scrapinghubio.beam.follow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.beam.ScrapinghubRead;
import io.scrapinghubio.beam.read.Collected;
import io.scrapinghubio.beam.read.ReadFixture;
import io.scrapinghubio.beam.read.ScrapinghubIOReadTest;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import io.scrapinghubio.emulator.store.RecordType;
import io.scrapinghubio.emulator.store.JobState;
import io.scrapinghubio.emulator.store.ProjectState;
import io.scrapinghubio.emulator.store.RecordLog;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code ScrapinghubIO.read().continuously(...)} against the emulator, on the Direct runner in streaming mode. */
class FollowProjectTest {
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(ReadFixture.KEY);

  private static long nextProject = 500;
  private long project;
  private ScrapyCloudEmulator emu;

  @BeforeEach
  void setUp() {
    emu = EMU.emulator();
    project = ++nextProject; // a fresh project per test: tests share one emulator
  }

  static Pipeline streamingPipeline() {
    DirectOptions o = PipelineOptionsFactory.as(DirectOptions.class);
    o.setTargetParallelism(4);
    o.setBlockOnRun(false);
    o.as(org.apache.beam.sdk.options.StreamingOptions.class).setStreaming(true);
    return Pipeline.create(o);
  }

  private ScrapinghubRead<ScrapinghubRecord> follow(Duration poll) {
    return ScrapinghubIO.read().withConnection(ReadFixture.connection(emu)).withProject(project).continuously(poll);
  }

  private String listings() {
    return "^/jobq/" + project + "/list$";
  }

  @Test
  void jobsFinishedBeforeAndWhileRunningAreEachDeliveredExactlyOnce() throws Exception {
    String before1 = ReadFixture.job(emu, project, "products", "finished", List.of(), 1200);
    String before2 = ReadFixture.job(emu, project, "reviews", "finished", List.of(), 3);
    Pipeline p = streamingPipeline();
    p.apply(follow(Duration.millis(200))).apply(Collected.into("follow-finished")); // never terminates: cancelled below
    PipelineResult r = p.run();
    emu.requestLog().awaitMatching("GET", listings(), 1);
    String during1 = ReadFixture.job(emu, project, "products", "finished", List.of(), 250);
    String during2 = ReadFixture.job(emu, project, "products", "finished", List.of(), 0);
    awaitCollected("follow-finished", 1453);
    // Every job read: a few more polls list them all again, and none may be read twice.
    long done = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
    while (ScrapinghubIOReadTest.counter(r, "follow_jobs_finished") < 4 && System.nanoTime() < done) {
      emu.requestLog().awaitMatching("GET", listings(), emu.requestLog().matching("GET", listings()).size() + 1);
    }
    emu.requestLog().awaitMatching("GET", listings(), emu.requestLog().matching("GET", listings()).size() + 3);
    r.cancel();
    List<ScrapinghubRecord> expected = new ArrayList<>(ReadFixture.expected(emu, RecordType.ITEMS, before1, before2, during1, during2));
    Collected.assertExactlyOnce("follow-finished", expected);
    assertEquals(1453, ScrapinghubIOReadTest.counter(r, "follow_records"));
    assertEquals(4, ScrapinghubIOReadTest.counter(r, "follow_jobs_followed"));
    assertEquals(4, ScrapinghubIOReadTest.counter(r, "follow_jobs_finished"));
  }

  @Test
  void itemsOfARunningJobArriveWhileItRunsEachOnceWithTheirStoreTimes() {
    String job = ReadFixture.job(emu, project, "products", "running", List.of(), 0);
    Pipeline p = streamingPipeline();
    PCollection<ScrapinghubRecord> live = p.apply(follow(Duration.millis(200)).withRunningJobs().withTerminationAfterIdlePolls(3));
    live.apply(Collected.into("follow-running"));
    live.apply("Stamp", ParDo.of(new StampFn())).apply(Collected.into("follow-running-ts"));
    live.apply(Window.into(FixedWindows.of(Duration.standardSeconds(1))))
        .apply(org.apache.beam.sdk.transforms.Combine.globally(Count.<ScrapinghubRecord>combineFn()).withoutDefaults())
        .apply("WindowOf", ParDo.of(new WindowCountFn())).apply(Collected.into("follow-running-windows"));
    PipelineResult r = p.run();
    appendItems(job, 0, 30);
    awaitCollected("follow-running", 30); // the job is still running: only the Watch can have stopped
    appendItems(job, 30, 20);
    awaitCollected("follow-running", 50);
    assertEquals(JobState.RUNNING, jobState(job).state(), "all 50 items arrived while the job was running");
    appendItems(job, 50, 5);
    finish(job);
    r.waitUntilFinish(Duration.standardMinutes(2));
    assertEquals(PipelineResult.State.DONE, r.getState());
    Collected.assertExactlyOnce("follow-running", ReadFixture.expected(emu, RecordType.ITEMS, job));
    // Event time = the service's store time of each record.
    RecordLog.View v = emu.state().records(job, RecordType.ITEMS).view();
    List<String> stamps = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      stamps.add(job + "/" + i + "@" + v.timestamp(i));
    }
    Collected.assertExactlyOnce("follow-running-ts", stamps);
    // Windowing by store time: each record counted once, in the window of its _ts.
    Map<Long, Long> perWindow = new LinkedHashMap<>();
    for (int i = 0; i < v.size(); i++) {
      perWindow.merge(v.timestamp(i) / 1000 * 1000, 1L, Long::sum);
    }
    List<String> windows = new ArrayList<>();
    perWindow.forEach((start, n) -> windows.add(start + ":" + n));
    Collected.assertExactlyOnce("follow-running-windows", windows);
    assertEquals(1, ScrapinghubIOReadTest.counter(r, "follow_jobs_finished"));
    assertEquals(55, ScrapinghubIOReadTest.counter(r, "follow_records"));
  }

  @Test
  void aJobDeletedWhileFollowedEndsCleanlyAndIsCounted() {
    String job = ReadFixture.job(emu, project, "products", "running", List.of(), 0);
    Pipeline p = streamingPipeline();
    p.apply(follow(Duration.millis(200)).withRunningJobs().withTerminationAfterIdlePolls(3)).apply(Collected.into("follow-deleted"));
    PipelineResult r = p.run();
    appendItems(job, 0, 12);
    awaitCollected("follow-deleted", 12);
    List<ScrapinghubRecord> delivered = ReadFixture.expected(emu, RecordType.ITEMS, job);
    ProjectState ps = emu.state().project(project);
    ps.updateJob(jobState(job), JobState.DELETED, Map.of());
    r.waitUntilFinish(Duration.standardMinutes(2));
    assertEquals(PipelineResult.State.DONE, r.getState(), "a deleted job is not a pipeline failure");
    Collected.assertExactlyOnce("follow-deleted", delivered);
    assertEquals(1, ScrapinghubIOReadTest.counter(r, "follow_jobs_deleted"));
    assertEquals(0, ScrapinghubIOReadTest.counter(r, "follow_jobs_finished"));
  }

  @Test
  void stopsPollingAfterTheGivenDuration() {
    ReadFixture.job(emu, project, "products", "finished", List.of(), 2);
    Pipeline p = streamingPipeline();
    p.apply(follow(Duration.millis(100)).withTerminationAfter(Duration.standardSeconds(1))).apply(Collected.into("follow-duration"));
    PipelineResult r = p.run();
    r.waitUntilFinish(Duration.standardMinutes(2));
    assertEquals(PipelineResult.State.DONE, r.getState());
    assertEquals(2, Collected.counts("follow-duration").size());
    assertTrue(ScrapinghubIOReadTest.counter(r, "follow_polls") >= 1);
  }

  @Test
  void onePollIsOneListingRequestAndPagesAreReadOnlyWhenAJobGrew() {
    String done = ReadFixture.job(emu, project, "products", "finished", List.of(), 40);
    String live = ReadFixture.job(emu, project, "reviews", "running", List.of(), 0);
    String reviews = "^/items/" + live + "$";
    Pipeline p = streamingPipeline();
    p.apply(follow(Duration.millis(150)).withRunningJobs().withTerminationAfterIdlePolls(4)).apply(Collected.into("follow-cost"));
    PipelineResult r = p.run();
    appendItems(live, 0, 7);
    awaitCollected("follow-cost", 47);
    int pagesAfterFirstGrowth = emu.requestLog().matching("GET", reviews).size();
    int stats = emu.requestLog().matching("GET", "^/items/" + live + "/stats$").size();
    // Several more size checks of the running job without growth: no page read.
    emu.requestLog().awaitMatching("GET", "^/items/" + live + "/stats$", stats + 4);
    assertEquals(pagesAfterFirstGrowth, emu.requestLog().matching("GET", reviews).size(), "no page read while the job did not grow");
    appendItems(live, 7, 3);
    awaitCollected("follow-cost", 50);
    assertEquals(pagesAfterFirstGrowth + 1, emu.requestLog().matching("GET", reviews).size(), "one page read for the growth");
    finish(live);
    r.waitUntilFinish(Duration.standardMinutes(2));
    assertEquals(PipelineResult.State.DONE, r.getState());
    long polls = ScrapinghubIOReadTest.counter(r, "follow_polls");
    assertEquals(polls, emu.requestLog().matching("GET", listings()).size(), "one listing request per poll");
    assertEquals(polls, ScrapinghubIOReadTest.counter(r, "follow_listing_requests"));
    assertEquals(1, emu.requestLog().matching("GET", "^/items/" + done + "$").size(), "a finished job is read with one page");
    Collected.assertExactlyOnce("follow-cost", ReadFixture.expected(emu, RecordType.ITEMS, done, live));
  }

  @Test
  void markConsumedTagsDeliveredJobsSoThatARestartSkipsThem() {
    String a = ReadFixture.job(emu, project, "products", "finished", List.of(), 30);
    String b = ReadFixture.job(emu, project, "products", "finished", List.of(), 5);
    Pipeline first = streamingPipeline();
    first.apply(follow(Duration.millis(150)).withTerminationAfterIdlePolls(3).markConsumed("consumed"))
        .apply(Collected.into("follow-consumed-1"));
    PipelineResult r1 = first.run();
    r1.waitUntilFinish(Duration.standardMinutes(2));
    assertEquals(PipelineResult.State.DONE, r1.getState());
    Collected.assertExactlyOnce("follow-consumed-1", ReadFixture.expected(emu, RecordType.ITEMS, a, b));
    assertEquals(List.of("consumed"), jobState(a).get("tags"));
    assertEquals(List.of("consumed"), jobState(b).get("tags"));

    String c = ReadFixture.job(emu, project, "products", "finished", List.of(), 9);
    Pipeline second = streamingPipeline();
    second.apply(follow(Duration.millis(150)).withTerminationAfterIdlePolls(3).markConsumed("consumed"))
        .apply(Collected.into("follow-consumed-2"));
    PipelineResult r2 = second.run();
    r2.waitUntilFinish(Duration.standardMinutes(2));
    Collected.assertExactlyOnce("follow-consumed-2", ReadFixture.expected(emu, RecordType.ITEMS, c));
    emu.requestLog().matching("GET", listings()).forEach(req ->
        assertTrue(req.query().getOrDefault("lacks_tag", List.of()).contains("consumed"), req.toString()));
  }

  /** A job markConsumed cannot tag goes to the read's error handler, named, and the follow goes on. */
  @Test
  void aJobThatCannotBeTaggedConsumedGoesToTheReadsErrorHandler() {
    String a = ReadFixture.job(emu, project, "products", "finished", List.of(), 3);
    // Refused, not retried: the tagging gives up at once.
    emu.faults().failNext(1, 403, "POST", ".*/api/jobs/update\\.json");
    Pipeline p = streamingPipeline();
    try (org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler<?> handler =
        io.scrapinghubio.beam.BadRecordsSink.register(p, "follow-untagged")) {
      p.apply(follow(Duration.millis(150)).withTerminationAfterIdlePolls(3).markConsumed("consumed")
          .withBadRecordErrorHandler(handler)).apply(Collected.into("follow-untagged-records"));
    }
    PipelineResult r = p.run();
    r.waitUntilFinish(Duration.standardMinutes(2));
    assertEquals(PipelineResult.State.DONE, r.getState());
    Collected.assertExactlyOnce("follow-untagged-records", ReadFixture.expected(emu, RecordType.ITEMS, a));
    List<org.apache.beam.sdk.transforms.errorhandling.BadRecord> bad = io.scrapinghubio.beam.BadRecordsSink.get("follow-untagged");
    assertEquals(1, bad.size(), String.valueOf(bad));
    String description = bad.get(0).getFailure().getDescription();
    assertTrue(description.startsWith("FORBIDDEN: updateTags of job " + a + " (HTTP 403) after 1 attempt(s): "), description);
    assertEquals("\"" + a + "\"", bad.get(0).getRecord().getHumanReadableJsonRecord());
    org.junit.jupiter.api.Assertions.assertFalse(String.valueOf(jobState(a).get("tags")).contains("consumed"), "not tagged: " + jobState(a).get("tags"));
  }

  @Test
  void jobsScheduledAndWrittenWhileFollowedAreEachDeliveredOnce() throws Exception {
    String finished = ReadFixture.job(emu, project, "products", "finished", List.of(), 120);
    String pending = ReadFixture.job(emu, project, "products", "pending", List.of(), 0);
    String running = ReadFixture.job(emu, project, "reviews", "running", List.of(), 0);
    Pipeline p = streamingPipeline();
    p.apply(follow(Duration.millis(150)).withRunningJobs()).apply(Collected.into("follow-many"));
    PipelineResult r = p.run();
    appendItems(running, 0, 130);
    awaitCollected("follow-many", 250);
    emu.state().project(project).updateJob(jobState(pending), JobState.RUNNING, Map.of()); // the crawl starts
    appendItems(pending, 0, 40);
    String late = ReadFixture.job(emu, project, "offers", "running", List.of(), 0); // scheduled while followed
    appendItems(late, 0, 15);
    appendItems(running, 130, 70);
    awaitCollected("follow-many", 375);
    appendItems(pending, 40, 10);
    emu.state().project(project).updateJob(jobState(pending), JobState.FINISHED, Map.of("close_reason", "cancelled"));
    finish(running);
    appendItems(late, 15, 5);
    finish(late);
    awaitCollected("follow-many", 390);
    // Let the read see every job finished, then a few more polls: nothing may arrive twice.
    long done = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
    while (ScrapinghubIOReadTest.counter(r, "follow_jobs_finished") < 4 && System.nanoTime() < done) {
      emu.requestLog().awaitMatching("GET", listings(), emu.requestLog().matching("GET", listings()).size() + 1);
    }
    emu.requestLog().awaitMatching("GET", listings(), emu.requestLog().matching("GET", listings()).size() + 3);
    r.cancel();
    Collected.assertExactlyOnce("follow-many", ReadFixture.expected(emu, RecordType.ITEMS, finished, pending, running, late));
    assertEquals(4, ScrapinghubIOReadTest.counter(r, "follow_jobs_followed"));
    assertEquals(4, ScrapinghubIOReadTest.counter(r, "follow_jobs_finished"));
    assertEquals(1, ScrapinghubIOReadTest.counter(r, "follow_jobs_closed_not_finished"), "the cancelled one");
  }

  @Test
  void theWatermarkMovesWhileARunningJobIsIdleSoWindowsCloseBeforeItEnds() {
    String job = ReadFixture.job(emu, project, "products", "running", List.of(), 0);
    Pipeline p = streamingPipeline();
    p.apply(follow(Duration.millis(200)).withRunningJobs().withTerminationAfterIdlePolls(3))
        .apply(Window.into(FixedWindows.of(Duration.standardSeconds(1))))
        .apply(org.apache.beam.sdk.transforms.Combine.globally(Count.<ScrapinghubRecord>combineFn()).withoutDefaults())
        .apply("WindowOf", ParDo.of(new WindowCountFn())).apply(Collected.into("follow-idle-windows"));
    PipelineResult r = p.run();
    appendItems(job, 0, 10);
    // Nothing more is written, the job keeps running: only a watermark that follows the clock
    // while the read is idle can close the window holding these records.
    awaitCollected("follow-idle-windows", 1);
    assertEquals(JobState.RUNNING, jobState(job).state());
    finish(job);
    r.waitUntilFinish(Duration.standardMinutes(2));
    long total = Collected.counts("follow-idle-windows").keySet().stream()
        .mapToLong(w -> Long.parseLong(String.valueOf(w).split(":")[1])).sum();
    assertEquals(10, total);
  }

  @Test
  void rowsWorkOnTheContinuousRead() {
    String job = ReadFixture.job(emu, project, "products", "finished", List.of(), 25);
    org.apache.beam.sdk.schemas.Schema schema = org.apache.beam.sdk.schemas.Schema.builder()
        .addNullableField("id", org.apache.beam.sdk.schemas.Schema.FieldType.INT64)
        .addNullableField("_key", org.apache.beam.sdk.schemas.Schema.FieldType.STRING).build();
    Pipeline p = streamingPipeline();
    p.apply(follow(Duration.millis(200)).withTerminationAfterIdlePolls(2).asRows(schema))
        .apply("RowText", ParDo.of(new RowTextFn()))
        .apply(Collected.into("follow-rows"));
    PipelineResult r = p.run();
    r.waitUntilFinish(Duration.standardMinutes(2));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      expected.add(job + "/" + i + "=" + i);
    }
    Collected.assertExactlyOnce("follow-rows", expected);
  }

  @Test
  void recordsThatDoNotConvertGoToTheFailureOutputAndNowhereElse() {
    String job = ReadFixture.job(emu, project, "products", "finished", List.of(), 5);
    emu.state().appendItems(job, List.of(Map.of("id", "not a number", "name", "bad")));
    appendItems(job, 6, 2);
    org.apache.beam.sdk.schemas.Schema schema = org.apache.beam.sdk.schemas.Schema.builder()
        .addNullableField("id", org.apache.beam.sdk.schemas.Schema.FieldType.INT64)
        .addNullableField("_key", org.apache.beam.sdk.schemas.Schema.FieldType.STRING).build();
    Pipeline p = streamingPipeline();
    try (org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler<?> handler =
        p.registerBadRecordErrorHandler(org.apache.beam.sdk.transforms.PTransform.compose(
            (org.apache.beam.sdk.values.PCollection<org.apache.beam.sdk.transforms.errorhandling.BadRecord> in) -> in.apply(org.apache.beam.sdk.transforms.MapElements
            .into(org.apache.beam.sdk.values.TypeDescriptors.strings())
            .via((org.apache.beam.sdk.transforms.errorhandling.BadRecord f) -> io.scrapinghubio.beam.BadRecordsSink.readRecord(f).key()
                + " " + io.scrapinghubio.beam.failure.ScrapinghubFailure.of(f).get().kind() + " "
                + io.scrapinghubio.beam.failure.ScrapinghubFailure.of(f).get().reason().contains("id")))
            .apply(Collected.into("follow-failures"))))) {
      p.apply(follow(Duration.millis(200)).withTerminationAfterIdlePolls(2).asRows(schema).withBadRecordErrorHandler(handler))
          .apply("RowText", ParDo.of(new RowTextFn())).apply("Rows", Collected.into("follow-converted"));
    }
    PipelineResult r = p.run();
    r.waitUntilFinish(Duration.standardMinutes(2));
    assertEquals(PipelineResult.State.DONE, r.getState());
    List<String> expected = new ArrayList<>();
    for (int i : new int[] {0, 1, 2, 3, 4, 6, 7}) {
      expected.add(job + "/" + i + "=" + i);
    }
    Collected.assertExactlyOnce("follow-converted", expected);
    Collected.assertExactlyOnce("follow-failures", List.of(job + "/5 CONVERSION true"));
    assertEquals(1, ScrapinghubIOReadTest.counter(r, "read_records_failed"));
  }

  @Test
  void aRecordOlderThanItsJobsListedTimesKeepsItsStoreTime() {
    String job = ReadFixture.job(emu, project, "products", "finished", List.of(), 3);
    long future = System.currentTimeMillis() + 3_600_000L; // the listing's times say: finished in an hour
    emu.state().project(project).updateJob(jobState(job), null, Map.of("finished_time", future));
    Pipeline p = streamingPipeline();
    p.apply(follow(Duration.millis(200)).withTerminationAfterIdlePolls(2))
        .apply("Stamp", ParDo.of(new StampFn())).apply(Collected.into("follow-skew"));
    PipelineResult r = p.run();
    r.waitUntilFinish(Duration.standardMinutes(2));
    assertEquals(PipelineResult.State.DONE, r.getState());
    RecordLog.View v = emu.state().records(job, RecordType.ITEMS).view();
    List<String> stamps = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      stamps.add(job + "/" + i + "@" + v.timestamp(i));
    }
    Collected.assertExactlyOnce("follow-skew", stamps);
  }

  @Test
  void aBigJobIsReadWithOneRequestPerPageAcrossTheRunnersCheckpoints() {
    // The Direct runner checkpoints a splittable read every 100 records: each residual continues
    // the read left open, so no page is fetched twice and the job is checked once.
    String job = ReadFixture.job(emu, project, "products", "finished", List.of(), 2500);
    Pipeline p = streamingPipeline();
    p.apply(follow(Duration.millis(200)).withTerminationAfterIdlePolls(2).withPageSize(1000)).apply(Collected.into("follow-big"));
    PipelineResult r = p.run();
    r.waitUntilFinish(Duration.standardMinutes(2));
    assertEquals(PipelineResult.State.DONE, r.getState());
    Collected.assertExactlyOnce("follow-big", ReadFixture.expected(emu, RecordType.ITEMS, job));
    assertEquals(3, emu.requestLog().matching("GET", "^/items/" + job + "$").size(), "one request per page of 1000");
    assertEquals(1, emu.requestLog().matching("GET", "^/items/" + job + "/stats$").size(), "sized once");
    assertEquals(1, ScrapinghubIOReadTest.counter(r, "follow_size_checks"));
  }

  // ---- helpers ----

  private JobState jobState(String key) {
    return emu.state().job(key).orElseThrow();
  }

  private void finish(String key) {
    emu.state().project(project).updateJob(jobState(key), JobState.FINISHED, Map.of());
  }

  private void appendItems(String key, int from, int n) {
    List<Object> batch = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      batch.add(Map.of("id", i, "name", "item " + i));
    }
    emu.state().appendItems(key, batch);
  }

  /** Waits (bounded, not timed) until sink {@code name} holds {@code n} distinct records. */
  private static void awaitCollected(String name, int n) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
    while (Collected.counts(name).size() < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("sink " + name + " has " + Collected.counts(name).size() + " of " + n + " records");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** {@code key@timestamp} of each record. */
  private static final class StampFn extends DoFn<ScrapinghubRecord, String> {
    @ProcessElement
    public void process(@Element ScrapinghubRecord r, @Timestamp org.joda.time.Instant ts, OutputReceiver<String> out) {
      out.output(r.key() + "@" + ts.getMillis());
    }
  }

  /** {@code key=id} of a row. */
  private static final class RowTextFn extends DoFn<org.apache.beam.sdk.values.Row, String> {
    @ProcessElement
    public void process(@Element org.apache.beam.sdk.values.Row row, OutputReceiver<String> out) {
      out.output(row.getString("_key") + "=" + row.getInt64("id"));
    }
  }

  /** {@code windowStart:count}. */
  private static final class WindowCountFn extends DoFn<Long, String> {
    @ProcessElement
    public void process(@Element Long n, BoundedWindow w, OutputReceiver<String> out) {
      out.output(((IntervalWindow) w).start().getMillis() + ":" + n);
    }
  }
}
