package io.scrapinghubio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.scrapinghubio.client.RunRequest;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.core.ApiKey;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import io.scrapinghubio.emulator.store.JobState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code follow --consumed-tag} killed with kill -9 as a user's process: a job carries the tag only
 * once all its items are in the window files on disk, so the next follow, which skips tagged jobs,
 * loses none.
 */
@Tag("jar")
class FollowConsumedTagKillIT {
  private static final String KEY = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long PROJECT = 79;

  private static List<JobState> tagged(ScrapyCloudEmulator emu) {
    return emu.state().project(PROJECT).jobs().stream()
        .filter(j -> String.valueOf(j.get("tags")).contains("followed")).toList();
  }

  @Test
  void everyJobTaggedBeforeAKillHasAllItsItemsInTheWindowFiles(@TempDir Path dir) throws Exception {
    CrawlSimulation crawls = CrawlSimulation.builder().pendingTime(java.time.Duration.ofMillis(100)).itemsPerSecond(40)
        .itemsPerPage(5).unitsCapacity(2).spider("books", CrawlSimulation.Spider.defaults()).build();
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).projects(PROJECT).crawlSimulation(crawls)
        .start();
        ScrapinghubClient client = ScrapinghubClient.create(ClientConfig.builder().apiKey(ApiKey.of(KEY))
            .storageEndpoint(emu.storageUrl()).dashEndpoint(emu.dashUrl()).build())) {
      emu.state().project(PROJECT).addSpider("books");
      Path out = dir.resolve("live");
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx1g", "-jar", System.getProperty("cli.jar"), "follow", "--endpoint=" + emu.storageUrl(),
          "--dash-endpoint=" + emu.dashUrl(), "--project=" + PROJECT, "--spider=books", "--running-jobs",
          "--consumed-tag=followed", "--poll=1s", "--window=5s", "--parallelism=2", "--progress=none",
          "--output=" + out));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("follow.log").toFile());
      pb.environment().remove("SHUB_APIKEY");
      pb.environment().put("SH_APIKEY", KEY);
      Process follow = pb.start();
      try {
        emu.requestLog().awaitMatching("GET", "^/jobq/" + PROJECT + "/list$", 1, java.time.Duration.ofMinutes(2));
        // Short crawls first, long ones after: some jobs end while others still run.
        int[] items = {60, 80, 400, 600};
        for (int n : items) {
          client.getProject(PROJECT).jobs().run(RunRequest.of("books").withArg("items", Integer.toString(n)));
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (tagged(emu).isEmpty() && follow.isAlive() && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertFalse(tagged(emu).isEmpty(), "a job was tagged: " + Files.readString(dir.resolve("follow.log")));
        // kill -9 as soon as a job is tagged: nothing runs after it, not a shutdown hook.
        assertEquals(0, new ProcessBuilder("kill", "-KILL", Long.toString(follow.pid())).start().waitFor());
        assertTrue(follow.waitFor(1, TimeUnit.MINUTES));
      } finally {
        follow.destroyForcibly();
      }

      Map<String, Long> linesByJob = new TreeMap<>();
      try (var files = Files.list(out)) {
        for (Path f : files.filter(p -> p.getFileName().toString().startsWith("items-")).toList()) {
          for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            String key = JSON.readTree(line).get("_key").asText();
            linesByJob.merge(key.substring(0, key.lastIndexOf('/')), 1L, Long::sum);
          }
        }
      } catch (IOException noOutputYet) {
        // no window file was written: then no job may be tagged
      }
      List<JobState> tagged = tagged(emu);
      assertFalse(tagged.isEmpty());
      for (JobState j : tagged) {
        long stored = emu.state().records(j.key(), io.scrapinghubio.emulator.store.RecordType.ITEMS).view().size();
        assertEquals(stored, linesByJob.getOrDefault(j.key(), 0L),
            j.key() + " is tagged: all its " + stored + " items must be in the window files, found " + linesByJob);
      }
    }
  }
}
