package io.scrapinghubio.beam.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.beam.read.RecordRanges;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.metrics.ClientStats;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import io.scrapinghubio.emulator.store.JobState;
import io.scrapinghubio.emulator.store.ProjectState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A read's plan completes, with the exact total it reads, once every listing has finished and every
 * job listed has been sized (empty, missing and partly left-out jobs included); a {@code readAll()},
 * having no listing, never claims a total.
 */
class ReadPlanTest {
  private static final String KEY = "0123456789abcdef0123456789abcdef";

  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(KEY);

  private static long nextProject = 700;
  private long project;
  private ScrapyCloudEmulator emu;
  private final List<String> completed = new CopyOnWriteArrayList<>();
  private final Consumer<ReadPlan> watcher = plan -> completed.add(plan.jobsListed() + " jobs, " + plan.records()
      + " records" + (plan.bytes() > 0 ? ", bytes" : ", no bytes"));

  @BeforeEach
  void setUp() {
    emu = EMU.emulator();
    project = ++nextProject;
    ReadPlan.whenComplete(ReadPlan.BOUNDED_READ, watcher);
  }

  @AfterEach
  void tearDown() {
    ReadPlan.stopWatching(ReadPlan.BOUNDED_READ, watcher);
  }

  @Test
  void completesOnlyOnceEveryListingHasFinishedAndEveryListedJobIsSized() {
    String name = "ReadPlanTest-" + System.nanoTime();
    List<ReadPlan> told = new ArrayList<>();
    ReadPlan.whenComplete(name, told::add);
    try {
      ReadPlan.listingStarts(name, 2); // two spiders
      ReadPlan.listingFinished(name, 2);
      ReadPlan.listedJobSized(name, 700, 7_000);
      ReadPlan.listedJobSized(name, 0, 0); // an empty job, or a missing one
      assertFalse(ReadPlan.of(name).isComplete(), "the second spider is still being listed: " + ReadPlan.of(name));
      ReadPlan.listedJobSized(name, 300, 3_000); // sized before its listing said it had finished
      assertFalse(ReadPlan.of(name).isComplete(), ReadPlan.of(name).toString());
      assertEquals(List.of(), told);
      ReadPlan.listingFinished(name, 1);
      ReadPlan plan = ReadPlan.of(name);
      assertTrue(plan.isComplete(), plan.toString());
      assertEquals(List.of(plan), told, "told once, when it completed");
      told.clear();
      assertEquals(3, plan.jobsListed());
      assertEquals(1000, plan.records());
      assertEquals(10_000, plan.bytes());

      ReadPlan.listingStarts(name, 1); // the next run of the step: a new plan, not a share of a complete one
      ReadPlan.listedJobSized(name, 5, 50);
      ReadPlan.listingFinished(name, 1);
      plan = ReadPlan.of(name);
      assertTrue(plan.isComplete(), plan.toString());
      assertEquals(5, plan.records());

      ReadPlan.listedJobSized(name, 5, 50); // a retried bundle sized a job twice
      assertFalse(plan.isComplete(), "more jobs sized than listed is no total: " + plan);

      ReadPlan.listingStarts(name, 1); // a listing while the plan is incomplete (a second read of the name) joins it
      ReadPlan.listingFinished(name, 0);
      assertFalse(ReadPlan.of(name).isComplete(), ReadPlan.of(name).toString());
    } finally {
      ReadPlan.stopWatching(name, told::add);
    }
  }

  @Test
  void namedJobsAndJobsListedElsewhereNeverMakeATotal() {
    String name = "ReadPlanTest-named-" + System.nanoTime();
    ReadPlan.namedJobSized(name, 50, 500);
    ReadPlan.namedJobSized(name, 0, 0);
    assertFalse(ReadPlan.of(name).isComplete());
    assertEquals(50, ReadPlan.of(name).records(), "the log lines still say how much is known so far");
    assertEquals(" of at least 50 planned", ProgressLogger.planned(name, 10, 5.0));

    String elsewhere = "ReadPlanTest-elsewhere-" + System.nanoTime();
    ReadPlan.listedJobSized(elsewhere, 50, 500); // the listing ran on another worker
    assertFalse(ReadPlan.of(elsewhere).isComplete());
  }

  @Test
  void theLastReaderLeavingForgetsThePlan() {
    String name = "ReadPlanTest-forget-" + System.nanoTime();
    ClientStats reader = new ClientStats();
    ProgressLogger.register(name, reader, Duration.ofHours(1));
    ReadPlan.listingStarts(name, 1);
    ReadPlan.listingFinished(name, 1);
    ReadPlan.listedJobSized(name, 1000, 10_000);
    assertEquals(" of 1000 planned (40%, ETA 12s)", ProgressLogger.planned(name, 400, 50.0));
    ProgressLogger.unregister(name, reader);
    assertNull(ReadPlan.of(name), "a later run of the same step starts from nothing");
    assertEquals("", ProgressLogger.planned(name, 400, 50.0));
  }

  /**
   * A read of four jobs: one whole, one with records left out, one empty, one whose stats answer
   * 404 (deleted since listed): the plan completes with what the read emits.
   */
  @Test
  void aReadsPlanCompletesWithTheRecordsItReads() {
    String whole = job("products", 20);
    String part = job("products", 15);
    job("reviews", 0);
    String gone = job("reviews", 10);
    emu.faults().failNext(1, 404, "GET", "/items/" + gone + "/stats");
    RecordRanges written = new RecordRanges();
    written.add(part, 3, 9);
    Pipeline p = pipeline();
    p.apply(ScrapinghubIO.read().withConnection(connection()).withProject(project).withSpiders("products", "reviews")
        .withoutRecords(written));
    PipelineResult r = p.run();
    r.waitUntilFinish();
    assertEquals(20 + 15 - 6, counter(r, "read_records"));
    assertEquals(List.of("4 jobs, 29 records, bytes"), completed, "two listings, four jobs sized, " + whole);
  }

  /** Named jobs are one listing. */
  @Test
  void aReadOfNamedJobsCompletesToo() {
    String a = job("products", 12);
    String b = job("products", 0);
    Pipeline p = pipeline();
    p.apply(ScrapinghubIO.read().withConnection(connection()).withJobs(a, b));
    p.run().waitUntilFinish();
    assertEquals(List.of("2 jobs, 12 records, bytes"), completed);
  }

  @Test
  void readAllNeverClaimsATotal() {
    String a = job("products", 12);
    String b = job("products", 0);
    Pipeline p = pipeline();
    p.apply(Create.of(a, b)).apply(ScrapinghubIO.readAll().withConnection(connection()));
    PipelineResult r = p.run();
    r.waitUntilFinish();
    assertEquals(12, counter(r, "read_records"));
    assertEquals(List.of(), completed, "its keys are the caller's: no listing says how many there are");
    ReadPlan left = ReadPlan.of(ReadPlan.BOUNDED_READ);
    assertTrue(left == null || !left.isComplete(), String.valueOf(left));
  }

  private String job(String spider, int items) {
    ProjectState p = emu.state().project(project);
    JobState job = p.createJob(p.addSpider(spider), "finished", List.of(), 2, 1, Map.of(), ProjectState.Origin.DASH);
    List<Object> batch = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      batch.add(Map.of("id", i, "name", "product " + i));
    }
    if (!batch.isEmpty()) {
      emu.state().appendItems(job.key(), batch);
    }
    return job.key();
  }

  private ScrapinghubConnection connection() {
    return ScrapinghubConnection.fromClientConfig(ClientConfig.builder().apiKey(KEY)
        .storageEndpoint(emu.storageUrl()).dashEndpoint(emu.dashUrl()).build());
  }

  private static Pipeline pipeline() {
    DirectOptions o = PipelineOptionsFactory.as(DirectOptions.class);
    o.setTargetParallelism(4);
    return Pipeline.create(o);
  }

  private static long counter(PipelineResult r, String name) {
    long sum = 0;
    for (MetricResult<Long> c : r.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(ClientMetrics.NAMESPACE, name)).build()).getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }
}
