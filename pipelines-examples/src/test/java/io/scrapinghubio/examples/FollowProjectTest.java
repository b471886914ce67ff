package io.scrapinghubio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scrapinghubio.beam.flink.LoopbackFlinkConfig;
import io.scrapinghubio.emulator.store.JobState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example as its README command runs it (embedded emulator, embedded Flink in streaming mode
 * with checkpoints, crawls it schedules itself, kebab-case flags), only smaller: it ends by itself,
 * and the directory its last line names holds window files only, which hold every item of every job
 * once, each in the file of the minute it was scraped.
 */
class FollowProjectTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  @Timeout(300) // a hang guard only
  void followsTheCrawlsItSchedulesIntoOneFilePerMinuteOfScrapeTime(@TempDir Path dir) throws Exception {
    Path output = dir.resolve("follow");
    String[] args = {"--schedule=poetry,travel,science", "--schedule-every-seconds=1", "--items-per-crawl=60",
        "--poll-seconds=1", "--idle-polls=6", "--output=" + output, "--consumed-tag=consumed", "--parallelism=2"};
    try (ExampleEnvironment env = ExampleEnvironment.forCrawls(args, FollowProject.demoCrawls())) {
      FollowProject.Options options = FollowProject.options(env);
      FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
      assertEquals("[local]", flink.getFlinkMaster());
      assertEquals(LoopbackFlinkConfig.directory(), flink.getFlinkConfDir(), "the embedded cluster answers on 127.0.0.1 only");
      FollowProject.Summary summary = FollowProject.run(env, options);
      Path printed = PrintedPath.in(summary.toString(), "window files in ", null);
      assertEquals(output, printed);

      List<JobState> jobs = env.emulator().state().project(env.project()).jobs();
      assertEquals(3, jobs.size(), "one job per category");
      TreeSet<String> expectedKeys = new TreeSet<>();
      for (JobState j : jobs) {
        assertEquals("finished", j.state());
        assertTrue(((List<?>) j.get("tags")).contains("consumed"), "tagged once read: " + j.get("tags"));
        for (int i = 0; i < 60; i++) {
          expectedKeys.add(j.key() + "/" + i);
        }
      }
      Map<String, Integer> seen = new TreeMap<>();
      List<Path> files = PrintedPath.entries(printed);
      for (Path f : files) {
        assertTrue(f.getFileName().toString().matches("items-\\S+Z-\\S+Z-pane-\\d+\\.jl") && Files.isRegularFile(f),
            "the output holds window files only (no .temp-beam, no staging): " + f.getFileName());
        TreeSet<Long> minutes = new TreeSet<>();
        for (String line : Files.readAllLines(f)) {
          JsonNode item = JSON.readTree(line);
          seen.merge(item.get("_key").asText(), 1, Integer::sum);
          long ts = item.get("_ts").asLong();
          minutes.add(ts - ts % 60_000);
          assertTrue(item.has("category") && item.has("title"), line);
        }
        assertEquals(1, minutes.size(), f.getFileName() + " holds items of one minute of scrape time: " + minutes);
        assertTrue(f.getFileName().toString().contains(new Instant(minutes.first()).toString()),
            f.getFileName() + " names its minute " + new Instant(minutes.first()));
      }
      assertEquals(expectedKeys, seen.keySet(), "every item of every job");
      seen.forEach((k, n) -> assertEquals(1, n, k + " written " + n + " times"));
      assertEquals(3, summary.jobsFollowed());
      assertEquals(3, summary.jobsFinished());
      assertEquals(180, summary.items());
      assertEquals(180, summary.linesWritten());
      assertEquals(files.size(), summary.windowFiles());
      assertFalse(Files.exists(OutputDirectory.staging(output)), "the writers' staging directory is removed at the end");
    }
  }

  @Test
  void onACluster() {
    // The same streaming settings as embedded, but the cluster's own restart strategy; the user's choices win.
    List<String> remote = List.of(FollowProject.runnerDefaults(new String[] {"--flinkMaster=jm:8081", "--checkpointingInterval=500"}));
    assertEquals(List.of("--flinkMaster=jm:8081", "--checkpointingInterval=500", "--runner=FlinkRunner", "--streaming=true",
        "--fasterCopy=true", "--shutdownSourcesAfterIdleMs=1000", "--enableStableInputDrain=true"), remote);
    assertTrue(List.of(FollowProject.runnerDefaults(new String[0])).containsAll(List.of("--flinkMaster=[local]",
        "--numberOfExecutionRetries=3", "--executionRetryDelay=1000")));
    assertEquals(List.of("--runner=DirectRunner"), List.of(FollowProject.runnerDefaults(new String[] {"--runner=DirectRunner"})));
    // Following until stopped: Beam keeps the sources alive, or no window would ever be written.
    assertTrue(List.of(FollowProject.runnerDefaults(new String[] {"--idlePolls=0"})).stream()
        .noneMatch(a -> a.startsWith("--shutdownSourcesAfterIdleMs")));
  }

  @Test
  void anOutputWithFilesInItIsRefusedBeforeAnythingRuns(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("items-earlier.jl"), "{}\n");
    try (ExampleEnvironment env = ExampleEnvironment.forCrawls(new String[] {"--runner=DirectRunner", "--output=" + dir},
        FollowProject.demoCrawls())) {
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> FollowProject.run(env, FollowProject.options(env)));
      assertEquals("--output=" + dir + ": " + dir + " is not empty (it holds items-earlier.jl); "
          + "expected a new or empty directory", e.getMessage());
      assertEquals(0, env.emulator().requestLog().matching("GET", ".*").size(), "nothing was read");
    }
  }

  /** Without the flag Flink's checkpoints of the writer would fail again and again; the example says so at once. */
  @Test
  @Timeout(120) // a hang guard only
  void onEmbeddedFlinkWithoutJavaUtilOpenedItStopsAtOnceNamingTheFlag(@TempDir Path dir) throws Exception {
    Path output = dir.resolve("follow");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), FollowProject.class.getName(), "--output=" + output)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(1, p.waitFor(), out);
    assertTrue(out.contains("FollowProject on embedded Flink needs the JVM option --add-opens=java.base/java.util=ALL-UNNAMED"), out);
    assertFalse(Files.exists(output), "nothing was started: " + out);
  }
}
