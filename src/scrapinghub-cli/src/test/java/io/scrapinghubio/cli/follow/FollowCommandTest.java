package io.scrapinghubio.cli.follow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scrapinghubio.cli.CliRun;
import io.scrapinghubio.client.RunRequest;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.core.ApiKey;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import io.scrapinghubio.emulator.store.JobState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code follow} end to end, in-process: embedded emulators whose spiders crawl while the command
 * follows them on embedded Flink; every item lands once, in the file of its window of scrape time.
 */
class FollowCommandTest {
  private static final String KEY = "fedcba9876543210fedcba9876543210";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Every line of the window files, by item key, checking each file holds one window of scrape time. */
  private static Map<String, Integer> itemsByKey(Path dir, Duration window) throws Exception {
    Map<String, Integer> seen = new TreeMap<>();
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        assertTrue(name.startsWith("items-") && name.endsWith(".jl"), "only window files: " + name);
        TreeSet<Long> windows = new TreeSet<>();
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          JsonNode item = JSON.readTree(line);
          seen.merge(item.get("_key").asText(), 1, Integer::sum);
          long ts = item.get("_ts").asLong();
          windows.add(ts - ts % window.toMillis());
          assertTrue(item.has("category") && item.has("title"), "the item's own fields: " + line);
        }
        assertEquals(1, windows.size(), name + " holds items of one window: " + windows);
        assertTrue(name.contains(java.time.Instant.ofEpochMilli(windows.first()).toString().replace("Z", "")),
            name + " names its window");
      }
    }
    return seen;
  }

  @Test
  @Timeout(300) // a hang guard only
  void followsRunningCrawlsIntoWindowFilesTagsThemAndStopsAfterIdlePolls(@TempDir Path dir) throws Exception {
    CrawlSimulation crawls = CrawlSimulation.builder().pendingTime(Duration.ofMillis(100)).itemsPerSecond(40)
        .itemsPerPage(5).unitsCapacity(2).spider("books", CrawlSimulation.Spider.defaults()).build();
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).projects(77).crawlSimulation(crawls).start();
        ScrapinghubClient client = ScrapinghubClient.create(ClientConfig.builder().apiKey(ApiKey.of(KEY))
            .storageEndpoint(emu.storageUrl()).dashEndpoint(emu.dashUrl()).build())) {
      // One crawl finished before the follow starts, two scheduled once it has listed the jobs: it reads both kinds.
      String before = client.getProject(77).jobs().run(RunRequest.of("books").withArg("category", "poetry")
          .withArg("items", "30")).key().toString();
      CompletableFuture<Void> during = CompletableFuture.runAsync(() -> {
        emu.requestLog().awaitMatching("GET", "^/jobq/77/list$", 1, Duration.ofMinutes(4));
        for (String category : List.of("travel", "science")) {
          client.getProject(77).jobs().run(RunRequest.of("books").withArg("category", category).withArg("items", "60"));
        }
      });
      Path out = dir.resolve("live");
      CliRun run = CliRun.run(Map.of("SH_APIKEY", KEY), "follow", "--endpoint=" + emu.storageUrl(),
          "--dash-endpoint=" + emu.dashUrl(), "--project=77",
          "--spider=books", "--running-jobs", "--poll=1s", "--idle-polls=4", "--consumed-tag=followed",
          "--window=30s", "--parallelism=2", "--progress=lines", "--progress-seconds=1", "--output=" + out);
      during.get();
      assertEquals(0, run.exitCode(), run.toString());
      assertFalse(run.out().contains("Demo mode"), run.toString());
      assertFalse(run.out().contains(KEY) || run.err().contains(KEY), "the key is never printed: " + run);
      assertTrue(run.outLines().get(0).startsWith("Following finished and running jobs of spider books of project 77"),
          run.toString());

      List<JobState> jobs = emu.state().project(77).jobs();
      assertEquals(3, jobs.size());
      TreeSet<String> expected = new TreeSet<>();
      for (JobState j : jobs) {
        assertEquals("finished", j.state(), j.key());
        assertTrue(((List<?>) j.get("tags")).contains("followed"), j.key() + " tagged once read: " + j.get("tags"));
        long items = j.key().equals(before) ? 30 : 60;
        for (int i = 0; i < items; i++) {
          expected.add(j.key() + "/" + i);
        }
      }
      Map<String, Integer> seen = itemsByKey(out, Duration.ofSeconds(30));
      assertEquals(expected, seen.keySet(), "every item of every job");
      seen.forEach((k, n) -> assertEquals(1, n, k + " written " + n + " times"));
      String summary = run.outLines().get(run.outLines().size() - 1);
      assertTrue(summary.startsWith("Followed 3 jobs (3 finished), 150 items in "), summary);
      assertTrue(summary.contains("written as 150 lines in "), summary);
    }
  }

  @Test
  @Timeout(300) // a hang guard only
  void demoModeSchedulesCrawlsWhileFollowingAndEndsByItself(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("demo");
    CliRun run = CliRun.run("follow", "--running-jobs", "--demo-crawls=2", "--demo-items-per-crawl=40",
        "--poll=1s", "--idle-polls=3", "--parallelism=2", "--progress=lines", "--output=" + out);
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.outLines().get(0).startsWith("Demo mode"), run.toString());
    assertEquals(2, run.outLines().stream().filter(l -> l.startsWith("Demo: scheduled ")).count(), run.toString());
    Map<String, Integer> seen = itemsByKey(out, Duration.ofMinutes(1));
    assertEquals(80, seen.size(), "2 crawls x 40 items: " + run);
    seen.forEach((k, n) -> assertEquals(1, n, k + " written " + n + " times"));
    String summary = run.outLines().get(run.outLines().size() - 1);
    assertTrue(summary.startsWith("Followed 2 jobs (2 finished), 80 items in "), summary);
  }

  @Test
  void badOptionsAreUsageErrorsNamingTheValue(@TempDir Path dir) throws Exception {
    Path full = Files.createDirectories(dir.resolve("full"));
    Files.writeString(full.resolve("other.txt"), "not a window file");
    Map<String[], String> cases = new java.util.LinkedHashMap<>();
    cases.put(new String[] {"--poll=0s"}, "'0s' is not a duration");
    cases.put(new String[] {"--window=soon"}, "'soon' is not a duration");
    cases.put(new String[] {"--for=-1m"}, "'-1m' is not a duration");
    cases.put(new String[] {"--idle-polls=0"}, "'0' is not valid: expected a whole number >= 1");
    cases.put(new String[] {"--shards=0"}, "'0' is not valid");
    cases.put(new String[] {"--jobs=1/2/3"}, "--jobs=1/2/3 names fixed jobs");
    cases.put(new String[] {"--state=running"}, "--state=running does not apply to a follow");
    cases.put(new String[] {"--consumed-tag= "}, "--consumed-tag=' ' is blank");
    cases.put(new String[] {"--consumed-tag=done", "--endpoint=http://storage.example.com/"},
        "expected --dash-endpoint=URL");
    cases.put(new String[] {"--output=" + full}, "--output=" + full + " is not empty");
    for (Map.Entry<String[], String> c : cases.entrySet()) {
      List<String> args = new ArrayList<>(List.of("follow"));
      args.addAll(List.of(c.getKey()));
      if (!c.getKey()[0].startsWith("--output=")) {
        args.add("--output=" + dir.resolve("unused"));
      }
      CliRun run = CliRun.run(args.toArray(new String[0]));
      assertEquals(2, run.exitCode(), run.toString());
      assertEquals(1, run.errLines().size(), "one line: " + run);
      assertTrue(run.err().contains(c.getValue()), "'" + c.getValue() + "' in: " + run);
      assertEquals("", run.out(), "nothing started: " + run);
    }
    assertFalse(Files.exists(dir.resolve("unused")), "nothing created on a usage error");
  }

  /**
   * A window's file appears once the follow is past it, while the follow still runs: before, the
   * embedded Flink job's sources were shut down once idle, after which Beam's runner drained the
   * polling step without ever emitting a watermark, so no window was written before the follow ended
   * (and, without --idle-polls or --for, never).
   */
  @Test
  @Timeout(300) // a hang guard only
  void windowFilesAppearWhileTheFollowRuns(@TempDir Path dir) throws Exception {
    CrawlSimulation crawls = CrawlSimulation.builder().pendingTime(Duration.ofMillis(100)).itemsPerSecond(40)
        .itemsPerPage(5).spider("books", CrawlSimulation.Spider.defaults()).build();
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).projects(77).crawlSimulation(crawls).start();
        ScrapinghubClient client = ScrapinghubClient.create(ClientConfig.builder().apiKey(ApiKey.of(KEY))
            .storageEndpoint(emu.storageUrl()).dashEndpoint(emu.dashUrl()).build())) {
      emu.state().project(77).addSpider("books");
      Path out = dir.resolve("live");
      // A 25 s crawl, scheduled once the follow lists the project; the follow polls for 15 s.
      CompletableFuture<String> job = CompletableFuture.supplyAsync(() -> {
        emu.requestLog().awaitMatching("GET", "^/jobq/77/list$", 1, Duration.ofMinutes(4));
        return client.getProject(77).jobs().run(RunRequest.of("books").withArg("items", "1000")).key().toString();
      });
      CompletableFuture<Boolean> fileWhileRunning = CompletableFuture.supplyAsync(() -> {
        String key = job.join();
        while (true) {
          boolean running = emu.state().project(77).jobs().stream().anyMatch(j -> j.key().equals(key)
              && !"finished".equals(j.state()));
          try (var files = Files.list(out)) {
            if (files.anyMatch(f -> f.getFileName().toString().startsWith("items-"))) {
              return running;
            }
          } catch (java.io.IOException notYet) {
            // the command creates the directory
          }
          if (!running) {
            return false;
          }
          try {
            Thread.sleep(100);
          } catch (InterruptedException e) {
            return false;
          }
        }
      });
      CliRun run = CliRun.run(Map.of("SH_APIKEY", KEY), "follow", "--endpoint=" + emu.storageUrl(), "--project=77",
          "--spider=books", "--running-jobs", "--poll=1s", "--for=15s", "--window=5s", "--parallelism=2",
          "--progress=none", "--output=" + out);
      assertEquals(0, run.exitCode(), run.toString());
      assertTrue(fileWhileRunning.get(), "a window file appeared while the crawl still ran: " + run);
      Map<String, Integer> seen = itemsByKey(out, Duration.ofSeconds(5));
      assertEquals(1000, seen.size(), "every item of the crawl: " + run);
      seen.forEach((k, n) -> assertEquals(1, n, k + " written " + n + " times"));
      String summary = run.outLines().get(run.outLines().size() - 1);
      assertTrue(summary.startsWith("Followed 1 job (1 finished), 1,000 items in "), summary);
    }
  }

  /**
   * Every demo crawl is scheduled and followed to its end: crawls that repeat a category used to be
   * refused as duplicates of one still running, and crawls waiting for the project's capacity used
   * up the demo's idle polls, ending the follow early.
   */
  @Test
  @Timeout(300) // a hang guard only
  void demoModeFollowsEveryCrawlItSchedules(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("demo");
    CliRun run = CliRun.run("follow", "--running-jobs", "--demo-crawls=6", "--demo-items-per-crawl=300", "--poll=1s",
        "--parallelism=2", "--progress=none", "--output=" + out);
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals(6, run.outLines().stream().filter(l -> l.startsWith("Demo: scheduled ")).count(), run.toString());
    Map<String, Integer> seen = itemsByKey(out, Duration.ofMinutes(1));
    assertEquals(1800, seen.size(), "6 crawls x 300 items: " + run);
    seen.forEach((k, n) -> assertEquals(1, n, k + " written " + n + " times"));
    String summary = run.outLines().get(run.outLines().size() - 1);
    assertTrue(summary.startsWith("Followed 6 jobs (6 finished), 1,800 items in "), summary);
  }

  /**
   * {@code follow --data-type=logs}: the jobs' log lines, each once, with {@code _key} and
   * {@code _ts} first, counted as log lines; samples (no store time) are refused at once.
   */
  @Test
  @Timeout(300) // a hang guard only
  void followsLogLinesAndRefusesSamples(@TempDir Path dir) throws Exception {
    io.scrapinghubio.emulator.demo.DemoData demo = io.scrapinghubio.emulator.demo.DemoData.of(2, 5).withLogsPerJob(30);
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).demoData(demo).start()) {
      long project = io.scrapinghubio.emulator.demo.DemoData.DEFAULT_PROJECT;
      Path out = dir.resolve("logs");
      CliRun run = CliRun.run(Map.of("SH_APIKEY", KEY), "follow", "--endpoint=" + emu.storageUrl(),
          "--project=" + project, "--data-type=logs", "--poll=1s", "--idle-polls=2", "--window=1h",
          "--parallelism=2", "--progress=none", "--output=" + out);
      assertEquals(0, run.exitCode(), run.toString());
      assertTrue(run.outLines().get(0).startsWith("Following logs of finished jobs"), run.toString());
      TreeSet<String> expected = new TreeSet<>();
      for (JobState j : emu.state().project(project).jobs()) {
        for (int i = 0; i < 30; i++) {
          expected.add(j.key() + "/" + i);
        }
      }
      Map<String, Integer> seen = new TreeMap<>();
      try (var files = Files.list(out)) {
        for (Path f : files.toList()) {
          for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            JsonNode log = JSON.readTree(line);
            seen.merge(log.get("_key").asText(), 1, Integer::sum);
            assertTrue(log.has("message") && log.has("level") && log.get("_ts").isNumber(), line);
          }
        }
      }
      assertEquals(expected, seen.keySet(), "every log line of every job");
      seen.forEach((k, n) -> assertEquals(1, n, k + " written " + n + " times"));
      String summary = run.outLines().get(run.outLines().size() - 1);
      assertTrue(summary.contains(", 60 log lines in "), summary);

      CliRun samples = CliRun.run(Map.of("SH_APIKEY", KEY), "follow", "--endpoint=" + emu.storageUrl(),
          "--project=" + project, "--data-type=samples", "--output=" + dir.resolve("samples"));
      assertEquals(2, samples.exitCode(), samples.toString());
      assertTrue(samples.err().contains("--data-type=samples cannot be followed"), samples.toString());
    }
  }
}
