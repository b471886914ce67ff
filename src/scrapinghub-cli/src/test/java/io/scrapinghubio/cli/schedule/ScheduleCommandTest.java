package io.scrapinghubio.cli.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.cli.CliRun;
import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.store.JobState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code schedule} end to end on emulators whose spiders run: jobs scheduled, awaited, their items written. */
class ScheduleCommandTest {
  private static final String KEY = "fedcba9876543210fedcba9876543210";

  private static List<String> lines(Path dir) throws Exception {
    List<String> lines = new ArrayList<>();
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        assertTrue(f.getFileName().toString().matches("part-\\d{5}-of-\\d{5}\\.jl"), "only item files: " + f);
        lines.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
      }
    }
    return lines;
  }

  @Test
  void demoModeSchedulesOneJobPerValueAndExportsTheirItems(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("books");
    CliRun run = CliRun.run("schedule", "--spider=books", "--each", "category=poetry,travel,science",
        "--demo-items-per-job=25", "--poll=1s", "--runner=direct", "--progress-seconds=1", "--output=" + out);
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.outLines().get(0).startsWith("Demo mode"), run.toString());
    List<String> lines = lines(out);
    assertEquals(75, lines.size(), "3 categories x 25 items");
    for (String c : List.of("poetry", "travel", "science")) {
      assertEquals(25, lines.stream().filter(l -> l.contains("\"category\":\"" + c + "\"")).count(), c);
    }
    assertTrue(run.outLines().stream().anyMatch(l -> l.matches("Progress: \\d of 3 jobs finished, .*")),
        "progress counts the crawl's jobs: " + run);
    String summary = run.outLines().get(run.outLines().size() - 1);
    assertTrue(summary.startsWith("Scheduled 3 jobs, 3 finished, 75 items"), summary);
    assertTrue(summary.endsWith("0 failed"), summary);
  }

  @Test
  void realProjectJobsAreTaggedAndConsumedAndFailuresExitWithOne(@TempDir Path dir) throws Exception {
    CrawlSimulation crawls = CrawlSimulation.builder().pendingTime(Duration.ofMillis(50))
        .runningTime(Duration.ofMillis(500)).itemsPerJob(10)
        .spider("books", CrawlSimulation.Spider.defaults()).spider("music", CrawlSimulation.Spider.defaults()).build();
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).projects(77).crawlSimulation(crawls).start()) {
      Map<String, String> env = Map.of("SH_APIKEY", KEY);
      List<String> target = List.of("--endpoint=" + emu.storageUrl(), "--dash-endpoint=" + emu.dashUrl(),
          "--project=77", "--poll=1s", "--runner=direct");

      List<String> ok = new ArrayList<>(List.of("schedule", "--spider=books,music", "-a", "items=7",
          "--tag=cli", "--consumed-tag=exported", "--output=" + dir.resolve("ok")));
      ok.addAll(target);
      CliRun run = CliRun.run(env, ok.toArray(new String[0]));
      assertEquals(0, run.exitCode(), run.toString());
      assertFalse(run.out().contains("Demo mode"), run.toString());
      assertEquals(14, lines(dir.resolve("ok")).size(), "2 spiders x 7 items");
      List<JobState> jobs = emu.state().project(77).jobs();
      assertEquals(2, jobs.size());
      for (JobState j : jobs) {
        List<?> tags = (List<?>) j.get("tags");
        assertTrue(tags.contains("cli") && tags.contains("exported"), String.valueOf(tags));
      }

      List<String> failing = new ArrayList<>(List.of("schedule", "--spider=books", "-a", "close_reason=banned",
          "--close-reason=finished", "--output=" + dir.resolve("failing")));
      failing.addAll(target);
      CliRun failed = CliRun.run(env, failing.toArray(new String[0]));
      assertEquals(1, failed.exitCode(), failed.toString());
      assertTrue(failed.err().contains("failed: ") && failed.err().contains("banned"), failed.toString());
      String last = failed.errLines().get(failed.errLines().size() - 1);
      assertTrue(last.startsWith("error: the job failed (listed above); "), last);
      assertFalse(Files.exists(dir.resolve("failing")), "a crawl that failed whole writes no (empty) directory");
      assertFalse(run.out().contains(KEY) || run.err().contains(KEY) || failed.out().contains(KEY)
          || failed.err().contains(KEY), "the key is never printed");
    }
  }

  /** No staging directory of {@code out} is left beside it. */
  private static void assertNoStaging(Path out) throws Exception {
    try (var siblings = Files.list(out.getParent())) {
      List<String> left = siblings.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("." + out.getFileName() + ".")).toList();
      assertEquals(List.of(), left, "no staging directory left beside " + out);
    }
  }

  @Test
  void aJobClosedAsFailedIsReportedAsFailedAndWritesNoOutput(@TempDir Path dir) throws Exception {
    CrawlSimulation crawls = CrawlSimulation.builder().pendingTime(Duration.ofMillis(50))
        .runningTime(Duration.ofMillis(300)).itemsPerJob(0).spider("books", CrawlSimulation.Spider.defaults()).build();
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).projects(77).crawlSimulation(crawls).start()) {
      Path out = dir.resolve("failed");
      CliRun run = CliRun.run(Map.of("SH_APIKEY", KEY), "schedule", "--endpoint=" + emu.storageUrl(),
          "--dash-endpoint=" + emu.dashUrl(), "--project=77", "--spider=books", "-a", "close_reason=failed",
          "--poll=1s", "--runner=direct", "--progress=none", "--output=" + out);
      assertEquals(1, run.exitCode(), "a job closed as failed fails the run: " + run);
      String job = emu.state().project(77).jobs().get(0).key();
      assertTrue(run.errLines().contains("failed: job " + job + " finished with close reason 'failed', expected one of "
          + "[finished] (--close-reason)"), run.toString());
      String summary = run.outLines().get(run.outLines().size() - 1);
      assertTrue(summary.startsWith("Scheduled 1 job, 0 finished, 0 items in "), summary);
      assertTrue(summary.endsWith("; 1 failed"), summary);
      assertEquals("error: the job failed (listed above); " + out + " was not written",
          run.errLines().get(run.errLines().size() - 1), run.toString());
      assertFalse(run.err().contains("JobFailure{") || run.err().contains("RunRequest{"), "no object dumps: " + run);
      assertFalse(Files.exists(out), "no empty output directory");
      assertNoStaging(out);
    }
  }

  @Test
  void anUnknownSpiderFailsFastNamingTheProjectsSpiders(@TempDir Path dir) throws Exception {
    CrawlSimulation crawls = CrawlSimulation.builder().itemsPerJob(1)
        .spider("books", CrawlSimulation.Spider.defaults()).spider("music", CrawlSimulation.Spider.defaults()).build();
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).projects(77).crawlSimulation(crawls).start()) {
      emu.state().project(77).addSpider("books");
      emu.state().project(77).addSpider("music");
      Path out = dir.resolve("nope");
      long start = System.nanoTime();
      CliRun run = CliRun.run(Map.of("SH_APIKEY", KEY), "schedule", "--endpoint=" + emu.storageUrl(), "--project=77",
          "--spider=nope", "--runner=direct", "--output=" + out);
      double seconds = (System.nanoTime() - start) / 1e9;
      assertEquals(2, run.exitCode(), run.toString());
      assertEquals(List.of("error: --spider=nope: project 77 has no spider nope; expected one of its spiders: books, "
          + "music; see 'scrapinghub-io schedule --help'"), run.errLines(), run.toString());
      assertEquals("", run.out(), "nothing scheduled: " + run);
      assertTrue(seconds < 10, "refused before any pipeline starts: " + seconds + " s");
      assertTrue(emu.state().project(77).jobs().isEmpty(), "no job scheduled");
      assertFalse(Files.exists(out));
      assertNoStaging(out);
    }
  }
}
