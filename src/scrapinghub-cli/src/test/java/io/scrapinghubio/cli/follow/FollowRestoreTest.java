package io.scrapinghubio.cli.follow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.scrapinghubio.cli.CliRun;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.store.JobState;
import io.scrapinghubio.emulator.store.ProjectState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code follow} on embedded Flink when a task fails mid-run and Flink restores the job: every
 * item is in the window files exactly once.
 */
class FollowRestoreTest {
  private static final String KEY = "fedcba9876543210fedcba9876543210";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long PROJECT = 78;

  /** Every line of the window files, counted by item key. */
  static Map<String, Integer> itemsByKey(Path dir) throws Exception {
    Map<String, Integer> seen = new TreeMap<>();
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        assertTrue(f.getFileName().toString().startsWith("items-"), "only window files: " + f);
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          seen.merge(JSON.readTree(line).get("_key").asText(), 1, Integer::sum);
        }
      }
    }
    return seen;
  }

  private static String finishedJob(ScrapyCloudEmulator emu, List<String> tags, int items) {
    ProjectState p = emu.state().project(PROJECT);
    JobState job = p.createJob(p.addSpider("books"), "finished", tags, 2, 1, Map.of(), ProjectState.Origin.DASH);
    List<Object> batch = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      batch.add(Map.of("id", i, "title", "book " + i));
    }
    emu.state().appendItems(job.key(), batch);
    return job.key();
  }

  /**
   * Two finished jobs scraped in the same window; the second joins the selection (its tag) once the
   * window's file is due, so its items are late and form a further pane of that window. Then the
   * job-queue listing fails with a 400: the poll's task fails before any checkpoint, and Flink
   * restarts the job, which now reads both jobs at once and files them in one pane. The window files
   * then hold every item once: before, the failed attempt's files stayed beside the retry's, the late
   * pane's items twice.
   */
  @Test
  @Timeout(300) // a hang guard only
  void aTaskFailureAndRestoreLeaveEveryItemInTheWindowFilesExactlyOnce(@TempDir Path dir) throws Exception {
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).projects(PROJECT).start()) {
      // Both jobs' items in one 2 s window of scrape time: start them just after a window starts.
      while (System.currentTimeMillis() % 2000 > 300) {
        Thread.sleep(20);
      }
      String first = finishedJob(emu, List.of("ready"), 120);
      String late = finishedJob(emu, List.of(), 80);
      long windowEnd = System.currentTimeMillis() - System.currentTimeMillis() % 2000 + 2000;
      Path out = dir.resolve("live");
      CompletableFuture<Void> steps = CompletableFuture.runAsync(() -> {
        try {
          emu.requestLog().awaitMatching("GET", "^/items/" + first + "$", 1, Duration.ofMinutes(3));
          // The follow's watermark (now - 5 s) passes the window's end: its first pane is due.
          Thread.sleep(Math.max(0, windowEnd + 5000 - System.currentTimeMillis()) + 3000);
          emu.state().project(PROJECT).updateTags(emu.state().job(late).orElseThrow(), List.of("ready"), List.of());
          emu.requestLog().awaitMatching("GET", "^/items/" + late + "$", 1, Duration.ofMinutes(2));
          Thread.sleep(13_000); // its late pane is due 10 s after its items
          emu.faults().failNext(1, 400, "GET", "^/jobq/" + PROJECT + "/list$");
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      // Checkpoints every 30 s, the first one 30 s in: the failure comes before any.
      CliRun run = CliRun.run(Map.of("SH_APIKEY", KEY), "follow", "--endpoint=" + emu.storageUrl(),
          "--dash-endpoint=" + emu.dashUrl(), "--project=" + PROJECT, "--has-tag=ready", "--poll=1s",
          "--idle-polls=25", "--window=2s", "--parallelism=2", "--progress=none", "--output=" + out,
          "--", "--checkpointingInterval=30000", "--minPauseBetweenCheckpoints=29000");
      steps.get();
      assertEquals(0, run.exitCode(), run.toString());
      assertEquals(1, emu.faults().injectedCount(), "the listing failed once: " + run);

      Map<String, Integer> expected = new TreeMap<>();
      for (int i = 0; i < 120; i++) {
        expected.put(first + "/" + i, 1);
      }
      for (int i = 0; i < 80; i++) {
        expected.put(late + "/" + i, 1);
      }
      assertEquals(expected, itemsByKey(out), "every item once in the window files: " + run);
      String summary = run.outLines().get(run.outLines().size() - 1);
      assertTrue(summary.startsWith("Followed 2 jobs (2 finished), 200 items in "), summary);
      assertTrue(summary.contains("written as 200 lines in "), summary);
    }
  }
}
