package io.scrapinghubio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scrapinghubio.beam.flink.LoopbackFlinkConfig;
import io.scrapinghubio.emulator.store.JobState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example as its README command runs it (embedded emulator, embedded Flink in streaming mode
 * with checkpoints, crawls it schedules itself), only smaller: it ends by itself, and its window
 * files hold every item of every job once, each in the file of the minute it was scraped.
 */
class FollowProjectTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  @Timeout(300) // a hang guard only
  void followsTheCrawlsItSchedulesIntoOneFilePerMinuteOfScrapeTime(@TempDir Path dir) throws Exception {
    String[] args = {"--schedule=poetry,travel,science", "--scheduleEverySeconds=1", "--itemsPerCrawl=60",
        "--pollSeconds=1", "--idlePolls=6", "--output=" + dir.resolve("items"), "--markConsumed=consumed", "--parallelism=2"};
    try (ExampleEnvironment env = ExampleEnvironment.forCrawls(args, FollowProject.demoCrawls())) {
      String[] beamArgs = env.beamArgs();
      FollowProject.Options options = PipelineOptionsFactory.fromArgs(LoopbackFlinkConfig.addTo(beamArgs))
          .withValidation().as(FollowProject.Options.class);
      FollowProject.onEmbeddedFlink(options.as(FlinkPipelineOptions.class), beamArgs);
      FollowProject.Summary summary = FollowProject.run(env, options);

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
      List<Path> files = new ArrayList<>();
      try (var list = Files.list(dir)) {
        list.filter(f -> f.getFileName().toString().endsWith(".jl")).forEach(files::add);
      }
      for (Path f : files) {
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
    }
  }
}
