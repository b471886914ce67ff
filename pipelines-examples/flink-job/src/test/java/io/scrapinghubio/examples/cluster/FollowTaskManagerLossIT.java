package io.scrapinghubio.examples.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.RunRequest;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import io.scrapinghubio.emulator.store.JobState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * FollowProject, the continuous read ({@code continuously()}, the command line's {@code follow}), on
 * the cluster while crawls run: once the first window file is written, a TaskManager process is
 * killed (SIGKILL) and a replacement started; Flink restores the job from its last checkpoint, and
 * the window files end up holding every item of every crawl exactly once (as a multiset against the
 * service's items), although windows were written before the failure and more after the restore.
 *
 * <p>The follow runs as the README's follow of a real project does, until stopped
 * ({@code --idle-polls=0}): its sources stay alive, so each minute's file is written soon after the
 * minute ends, while the crawls still run. It is cancelled through Flink's REST API once every
 * item is in the files; the counts decide that, never a time.
 */
@Tag("flink-cluster")
@ExtendWith(FlinkClusterUnderTest.class)
class FollowTaskManagerLossIT {
  /** The key the TaskManagers have in their environment; the jobs are submitted without one. */
  private static final String KEY = FlinkClusterUnderTest.taskManagersApiKey();
  private static final long PROJECT = 3_333_333;
  private static final List<String> CRAWLS = List.of("poetry", "travel", "history");
  /**
   * Each crawl scrapes 10 items a second for 75 s: longer than a minute, so that a minute's window
   * file is written while the crawls still run, whatever second of the minute they start at.
   */
  private static final int ITEMS_PER_CRAWL = 750;
  private static final int ITEMS_PER_SECOND = 10;
  private static ScrapyCloudEmulator emulator;

  @BeforeAll
  static void startEmulator() {
    emulator = ScrapyCloudEmulator.builder().apiKey(KEY).projects(PROJECT)
        .crawlSimulation(CrawlSimulation.builder().pendingTime(Duration.ofMillis(100)).itemsPerPage(5)
            .statsInterval(Duration.ofSeconds(1)).unitsCapacity(CRAWLS.size())
            .spider("books", CrawlSimulation.Spider.defaults()).build())
        .start();
    // Deployed before it is followed, as in production: the follow's listing fails on a spider the project lacks.
    emulator.state().addSpider(PROJECT, "books");
  }

  @AfterAll
  static void stopEmulator() {
    emulator.close();
  }

  @Test
  void killedWhileFollowingRunningCrawlsEveryItemIsInTheWindowFilesOnce(@TempDir Path dir) throws Exception {
    String name = "follow-tm-loss-" + UUID.randomUUID();
    FlinkRestApi flink = new FlinkRestApi(FlinkClusterUnderTest.restUrl());
    Path output = dir.resolve("follow");
    String victim;
    String replacement;
    String jobId;
    Path firstFile;
    Object firstFileKey;
    try (SubmittedJob job = SubmittedJob.submit("io.scrapinghubio.examples.FollowProject", name, dir, List.of(
        "--endpoint=" + emulator.storageUrl(), "--dash-endpoint=" + emulator.dashUrl(), "--project=" + PROJECT,
        "--spider=books", "--poll-seconds=1", "--idle-polls=0", "--consumed-tag=consumed", "--output=" + output))) {
      jobId = awaitFirstListing(flink, job, Duration.ofMinutes(3));
      List<String> keys = scheduleCrawls();

      firstFile = awaitFirstWindowFile(job, output, Duration.ofMinutes(3));
      firstFileKey = Files.readAttributes(firstFile, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
      assertTrue(keys.stream().anyMatch(k -> "running".equals(state(k))), "the kill must land while crawls run: " + states(keys));
      assertTrue(flink.checkpoints(jobId).path("counts").path("completed").asInt() > 0, "a checkpoint to restore from");
      victim = flink.taskManagersRunning(jobId).iterator().next();
      ProcessHandle process = ProcessHandle.of(FlinkClusterUnderTest.pidOf(victim))
          .orElseThrow(() -> new AssertionError(victim + " is not running"));
      process.destroyForcibly(); // SIGKILL: no goodbye to the JobManager, as when a machine dies
      process.onExit().get(30, TimeUnit.SECONDS);
      replacement = FlinkClusterUnderTest.addTaskManager();

      long expected = (long) CRAWLS.size() * ITEMS_PER_CRAWL;
      awaitLinesInFiles(job, output, keys, expected, Duration.ofMinutes(6));
      flink.cancel(jobId);
      int exit = job.awaitExit(2, TimeUnit.MINUTES);
      assertNotEquals(0, exit, "a cancelled follow is not a success:\n" + job.output());
    }

    assertEquals("CANCELED", awaitState(flink, jobId, "CANCELED", Duration.ofMinutes(1)));
    JsonNode failures = flink.exceptionHistory(jobId);
    assertFalse(failures.isEmpty(), "the job must have lost tasks with " + victim + " and restarted");
    JsonNode restored = flink.checkpoints(jobId).path("latest").path("restored");
    assertTrue(restored.isObject() && restored.path("id").asLong() > 0 && !restored.path("is_savepoint").asBoolean(),
        "the restart resumed from a checkpoint, not from the start: " + restored);
    Set<String> ranOn = flink.taskManagersOf(jobId);
    assertTrue(ranOn.contains(replacement), "the restarted job needs the replacement's slot: ran on " + ranOn);

    Map<String, Integer> expected = ExportedItems.followedInService(config(), PROJECT);
    assertEquals(CRAWLS.size() * ITEMS_PER_CRAWL, ExportedItems.total(expected));
    for (Path f : entries(output)) {
      assertTrue(f.getFileName().toString().matches("items-\\S+Z-\\S+Z-pane-\\d+\\.jl") && Files.isRegularFile(f),
          "the output holds window files only (no .temp-beam, no staging): " + f.getFileName());
    }
    List<Path> files = entries(output);
    assertTrue(files.size() >= 2, "windows written before the failure and after the restore: " + files);
    Map<String, Integer> written = ExportedItems.followedInFiles(files);
    assertEquals(ExportedItems.total(expected), ExportedItems.total(written), "line count");
    assertEquals(expected, written, "the window files must hold exactly the service's items, each once");
    for (JobState j : emulator.state().project(PROJECT).jobs()) {
      assertTrue(((List<?>) j.get("tags")).contains("consumed"), j.key() + " tagged once read: " + j.get("tags"));
    }
    // Not asserted (it depends on when the kill fell between two checkpoints), but worth seeing in the log.
    Object after = Files.readAttributes(firstFile, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    System.out.printf("FollowTaskManagerLossIT: %d items in %d window files; %s, written before the kill, was %s after the "
        + "restore%n", ExportedItems.total(written), files.size(), firstFile.getFileName(),
        after.equals(firstFileKey) ? "left as it was" : "written again, the same pane replacing itself");
  }

  /** The job's id once its first listing of the project reached the service: the follow runs. */
  private static String awaitFirstListing(FlinkRestApi flink, SubmittedJob job, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!job.isAlive()) {
        throw new AssertionError("the job client exited before the follow listed the project:\n" + job.output());
      }
      Optional<String> id = flink.jobId(job.name);
      if (id.isPresent() && !emulator.requestLog().matching("GET", "^/jobq/" + PROJECT + "/list$").isEmpty()) {
        return id.get();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("job " + job.name + " did not list the project within " + timeout + ":\n" + job.output());
  }

  /** The crawls, scheduled by someone else than the follow, as in production. */
  private static List<String> scheduleCrawls() {
    List<String> keys = new ArrayList<>();
    try (ScrapinghubClient client = ScrapinghubClient.create(config())) {
      for (String category : CRAWLS) {
        keys.add(client.getProject(PROJECT).jobs().run(RunRequest.of("books").withArg("category", category)
            .withArg("items", Integer.toString(ITEMS_PER_CRAWL)).withArg("items_per_second", Integer.toString(ITEMS_PER_SECOND)))
            .key().toString());
      }
    }
    return keys;
  }

  /** The first window file that appears (a file appears whole: the writer renames it into place). */
  private static Path awaitFirstWindowFile(SubmittedJob job, Path output, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!job.isAlive()) {
        throw new AssertionError("the job client exited before the first window file:\n" + job.output());
      }
      List<Path> files = entries(output);
      if (!files.isEmpty()) {
        return files.get(0);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no window file in " + output + " within " + timeout + ":\n" + job.output());
  }

  /** Waits until every crawl has finished and the files hold at least {@code expected} lines. */
  private static void awaitLinesInFiles(SubmittedJob job, Path output, List<String> keys, long expected, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    long lines = 0;
    while (System.nanoTime() < deadline) {
      if (!job.isAlive()) {
        throw new AssertionError("the job client exited while following:\n" + job.output());
      }
      lines = ExportedItems.total(ExportedItems.followedInFiles(entries(output)));
      if (lines >= expected && keys.stream().allMatch(k -> "finished".equals(state(k)))) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(lines + " of " + expected + " lines in " + output + " after " + timeout + " ("
        + states(keys) + "):\n" + job.output());
  }

  private static String awaitState(FlinkRestApi flink, String jobId, String state, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String now = flink.state(jobId);
    while (!now.equals(state) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      now = flink.state(jobId);
    }
    return now;
  }

  private static List<Path> entries(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  private static String state(String key) {
    return emulator.state().job(key).map(JobState::state).orElse("missing");
  }

  private static String states(List<String> keys) {
    return keys.stream().map(k -> k + " " + state(k)).toList().toString();
  }

  private static ClientConfig config() {
    return ClientConfig.builder().apiKey(KEY).storageEndpoint(emulator.storageUrl()).dashEndpoint(emulator.dashUrl()).build();
  }
}
