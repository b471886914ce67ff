package io.scrapinghubio.beam.jobs;

import io.scrapinghubio.beam.failure.ScrapinghubFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.beam.metrics.ClientMetrics;
import io.scrapinghubio.client.RunRequest;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.errors.JobNotCancellableException;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import io.scrapinghubio.emulator.store.JobState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code cancelJobs()} against the emulator with crawls that run: a running job is cancelled (it
 * then ends with close reason {@code cancelled}); a job that had already ended otherwise is not,
 * and comes out as a NOT_CANCELLABLE failure naming the job and its state; an unknown job is
 * NOT_FOUND; a job already cancelled is done (cancelling twice is harmless).
 */
class CancelJobsTest {
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(JobsTransformsTest.KEY)
      .crawlSimulation(CrawlSimulation.builder().pendingTime(Duration.ofMillis(10)).runningTime(Duration.ofMillis(150))
          .itemsPerJob(5).unitsCapacity(6).build());

  private static final AtomicLong PROJECTS = new AtomicLong(9300);

  private ScrapyCloudEmulator emu;
  private ScrapinghubConnection connection;
  private ScrapinghubClient client;
  private long project;

  @BeforeEach
  void setUp() {
    emu = EMU.emulator();
    ClientConfig config = ClientConfig.builder().apiKey(JobsTransformsTest.KEY).storageEndpoint(emu.storageUrl())
        .dashEndpoint(emu.dashUrl()).retryPolicy(JobsTransformsTest.FAST).build();
    connection = ScrapinghubConnection.fromClientConfig(config);
    client = ScrapinghubClient.create(config);
    project = PROJECTS.incrementAndGet();
    emu.state().addSpider(project, "books");
    JobsTransformsTest.SEEN.clear();
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  private static PCollection<String> keys(Pipeline p, String... k) {
    return p.apply(Create.of(List.of(k)).withCoder(StringUtf8Coder.of()));
  }

  /** A crawl that runs for a minute: running once the emulator has started it. */
  private String running(String category) {
    String key = client.getProject(project).jobs()
        .run(RunRequest.of("books").withArg("category", category).withArg("run_ms", "60000")).key().toString();
    while (!JobState.RUNNING.equals(emu.state().job(key).orElseThrow().state())) {
      emu.advanceCrawls();
      pause();
    }
    return key;
  }

  private String ended(String state, String closeReason) {
    return emu.state().addJob(project, "books", state, Map.of("close_reason", closeReason)).key();
  }

  @Test
  void aJobThatHadAlreadyEndedIsAFailureNamingItsStateNotASuccess() {
    String running = running("poetry");
    String finished = ended(JobState.FINISHED, "finished");
    String failed = ended(JobState.FINISHED, "failed");
    String deleted = ended(JobState.DELETED, "finished");
    String cancelledBefore = ended(JobState.FINISHED, "cancelled");
    String missing = project + "/1/999";

    Pipeline p = JobsTransformsTest.pipeline();
    JobFailures handler = JobFailures.register(p);
    JobsResult<String> result = keys(p, running, finished, failed, deleted, cancelledBefore, missing)
        .apply(ScrapinghubIO.cancelJobs().withConnection(connection).withBadRecordErrorHandler(handler.handler()));
    JobsTransformsTest.collect(result.output());
    handler.close();
    PipelineResult run = p.run();
    run.waitUntilFinish();

    assertEquals(Set.of(running, cancelledBefore), Set.copyOf(JobsTransformsTest.seen(String.class)));
    Map<String, JobFailure> failures = handler.get().stream()
        .collect(Collectors.toMap(JobFailure::jobKey, f -> f));
    assertEquals(Set.of(finished, failed, deleted, missing), failures.keySet(), String.valueOf(failures));
    assertNotCancellable(failures.get(finished), "job " + finished + " was not cancelled: it had already ended (state finished, close reason 'finished')");
    assertNotCancellable(failures.get(failed), "job " + failed + " was not cancelled: it had already ended (state finished, close reason 'failed')");
    assertNotCancellable(failures.get(deleted), "job " + deleted + " was not cancelled: it had already ended (state deleted, close reason 'finished')");
    assertEquals(ScrapinghubFailure.Kind.NOT_FOUND, failures.get(missing).kind());
    assertTrue(failures.get(missing).message().contains("no such job"), failures.get(missing).message());

    assertEquals(2, counter(run, "jobs_cancelled"));
    assertEquals(4, counter(run, "jobs_cancelled_failures"));
    // The ended jobs are left as they were; the running one ends, cancelled.
    assertEquals("finished", emu.state().job(finished).orElseThrow().get("close_reason"));
    assertFalse(emu.state().job(finished).orElseThrow().metadata().containsKey("cancelled_by"));
    assertEquals(JobState.DELETED, emu.state().job(deleted).orElseThrow().state());
    while (!JobState.FINISHED.equals(emu.state().job(running).orElseThrow().state())) {
      emu.advanceCrawls();
      pause();
    }
    assertEquals("cancelled", emu.state().job(running).orElseThrow().get("close_reason"));
  }

  @Test
  void cancellingTwiceIsDoneTwiceOnceTheFirstCancelHasEndedTheJob() {
    String running = running("travel");
    for (int round = 0; round < 2; round++) {
      JobsTransformsTest.SEEN.clear();
      Pipeline p = JobsTransformsTest.pipeline();
      JobsResult<String> result = keys(p, running).apply(ScrapinghubIO.cancelJobs().withConnection(connection));
      JobsTransformsTest.collect(result.output());
      p.run().waitUntilFinish(); // without an error handler a failure would fail the run
      assertEquals(List.of(running), JobsTransformsTest.seen(String.class), "round " + round);
      while (!JobState.FINISHED.equals(emu.state().job(running).orElseThrow().state())) {
        emu.advanceCrawls(); // the second round cancels a job the first one has ended
        pause();
      }
    }
    assertEquals("cancelled", emu.state().job(running).orElseThrow().get("close_reason"));
  }

  @Test
  void withoutAHandlerAJobThatHadAlreadyEndedFailsThePipelineNamingItsState() {
    String finished = ended(JobState.FINISHED, "finished");
    Pipeline p = JobsTransformsTest.pipeline();
    keys(p, finished).apply(ScrapinghubIO.cancelJobs().withConnection(connection));
    Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    String chain = JobsTransformsTest.messages(e);
    assertTrue(chain.contains("NOT_CANCELLABLE: cancel of job " + finished + " after 1 attempt(s): job " + finished
        + " was not cancelled: it had already ended (state finished, close reason 'finished')"), chain);
    Throwable cause = e;
    while (cause != null && !(cause instanceof JobNotCancellableException)) {
      cause = cause.getCause();
    }
    assertTrue(cause instanceof JobNotCancellableException, "not a JobNotCancellableException: " + e);
    JobNotCancellableException n = (JobNotCancellableException) cause;
    assertEquals(finished, n.jobKey());
    assertEquals("finished", n.state());
    assertEquals("job " + finished + " was not cancelled: it had already ended (state finished, close reason 'finished')",
        n.getMessage());
  }

  private static void pause() {
    try {
      Thread.sleep(5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void assertNotCancellable(JobFailure f, String message) {
    assertEquals(ScrapinghubFailure.Kind.NOT_CANCELLABLE, f.kind(), String.valueOf(f));
    assertEquals("cancel", f.operation());
    assertEquals(message, f.message());
    assertEquals(-1, f.status(), "the service answered 200 {\"count\": 0}: no failed HTTP status");
  }

  private static long counter(PipelineResult run, String name) {
    long sum = 0;
    for (MetricResult<Long> c : run.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(ClientMetrics.NAMESPACE, name)).build()).getCounters()) {
      sum += c.getAttempted();
    }
    return sum;
  }
}
