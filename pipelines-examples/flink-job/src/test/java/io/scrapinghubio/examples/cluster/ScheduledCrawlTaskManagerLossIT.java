package io.scrapinghubio.examples.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.client.JobQuery;
import io.scrapinghubio.client.JobSummary;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline-scheduled crawl on the cluster, with a TaskManager killed once every crawl was
 * scheduled (after the run.json calls) and while the pipeline awaits them: the restarted job finds
 * the crawls it already started by their deterministic tags and never schedules one twice; each
 * crawl's items are written once.
 */
@Tag("flink-cluster")
@ExtendWith(FlinkClusterUnderTest.class)
class ScheduledCrawlTaskManagerLossIT {
  /** The key the TaskManagers have in their environment; the jobs are submitted without one. */
  private static final String KEY = FlinkClusterUnderTest.taskManagersApiKey();
  private static final long PROJECT = 1_111_111;
  private static final List<String> CATEGORIES = List.of("poetry", "travel", "history", "science");
  private static final int ITEMS_PER_JOB = 25;
  private static ScrapyCloudEmulator emulator;

  @BeforeAll
  static void startEmulator() {
    // Crawls run long enough (20 s) for the kill to land while the pipeline awaits them.
    emulator = ScrapyCloudEmulator.builder().apiKey(KEY).projects(PROJECT)
        .crawlSimulation(CrawlSimulation.builder().pendingTime(Duration.ofMillis(100)).runningTime(Duration.ofSeconds(20))
            .itemsPerJob(ITEMS_PER_JOB).unitsCapacity(CATEGORIES.size())
            .spider("books", CrawlSimulation.Spider.defaults()).build())
        .start();
  }

  @AfterAll
  static void stopEmulator() {
    emulator.close();
  }

  @Test
  void killedAfterRunJsonSchedulesNoCrawlTwice(@TempDir Path dir) throws Exception {
    String name = "scheduled-crawl-tm-loss-" + UUID.randomUUID();
    FlinkRestApi flink = new FlinkRestApi(FlinkClusterUnderTest.restUrl());
    Path output = dir.resolve("crawl");
    try (SubmittedJob job = SubmittedJob.submit("io.scrapinghubio.examples.ScheduledCrawl", name, dir, List.of(
        "--endpoint=" + emulator.storageUrl(), "--dash-endpoint=" + emulator.dashUrl(),
        "--project=" + PROJECT, "--categories=" + String.join(",", CATEGORIES), "--output=" + output,
        "--poll-seconds=1", "--timeout-minutes=10"))) {
      String jobId = awaitEveryCrawlScheduled(flink, job, Duration.ofMinutes(3));
      String victim = flink.taskManagersRunning(jobId).iterator().next();
      ProcessHandle process = ProcessHandle.of(FlinkClusterUnderTest.pidOf(victim))
          .orElseThrow(() -> new AssertionError(victim + " is not running"));
      process.destroyForcibly();
      process.onExit().get(30, TimeUnit.SECONDS);
      FlinkClusterUnderTest.addTaskManager();

      String out = job.awaitSuccess(8, TimeUnit.MINUTES);
      assertFalse(flink.exceptionHistory(jobId).isEmpty(), "the job must have lost tasks with " + victim + " and restarted");
      assertEquals("FINISHED", flink.state(jobId), out);
      assertTrue(out.contains("files in " + output + " (items-*.jl, failures-*.txt)"), out);
    }

    assertEquals(CATEGORIES.size(), runJsonCalls(), "one run.json per category, none after the restart");
    Map<String, Integer> crawlsPerCategory = new TreeMap<>();
    try (ScrapinghubClient client = ScrapinghubClient.create(config())) {
      for (JobSummary s : client.getProject(PROJECT).jobs().list(JobQuery.all().jobMeta("spider_args"))) {
        crawlsPerCategory.merge(client.getJob(s.key()).metadata().get("spider_args").path("category").asText(), 1, Integer::sum);
      }
    }
    assertEquals(Map.of("history", 1, "poetry", 1, "science", 1, "travel", 1), crawlsPerCategory);
    assertEquals(CATEGORIES.size() * ITEMS_PER_JOB, itemLines(output), "each crawl's items written once");
  }

  private static int runJsonCalls() {
    return emulator.requestLog().matching("POST", "^/api/run\\.json$").size();
  }

  private static long itemLines(Path output) throws IOException {
    long n = 0;
    try (Stream<Path> files = Files.list(output)) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith("items") && f.toString().endsWith(".jl")).toList()) {
        n += Files.readAllLines(f).size();
      }
    }
    return n;
  }

  /** The job's id once every category's run.json was called and a task of the job still runs. */
  private static String awaitEveryCrawlScheduled(FlinkRestApi flink, SubmittedJob job, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!job.isAlive()) {
        throw new AssertionError("the job client exited before the crawls were scheduled:\n" + job.output());
      }
      Optional<String> id = flink.jobId(job.name);
      if (id.isPresent() && runJsonCalls() >= CATEGORIES.size() && !flink.taskManagersRunning(id.get()).isEmpty()) {
        return id.get();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("job " + job.name + " did not schedule its crawls within " + timeout + ":\n" + job.output());
  }

  private static ClientConfig config() {
    return ClientConfig.builder().apiKey(KEY).storageEndpoint(emulator.storageUrl()).dashEndpoint(emulator.dashUrl()).build();
  }
}
