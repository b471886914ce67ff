package io.scrapinghubio.cli.follow;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.scrapinghubio.emulator.store.RecordLog;
import io.scrapinghubio.emulator.store.RecordType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code follow --with=job,spider}: each line keeps {@code _key} and {@code _ts} first and adds the
 * job and the spider's name, the stored item's fields following as stored.
 */
class FollowProvenanceTest {
  private static final String KEY = "fedcba9876543210fedcba9876543210";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  @Timeout(300) // a hang guard only
  void everyLineNamesItsJobAndSpider(@TempDir Path dir) throws Exception {
    CrawlSimulation crawls = CrawlSimulation.builder().pendingTime(Duration.ofMillis(100)).itemsPerSecond(200)
        .itemsPerPage(5).spider("books", CrawlSimulation.Spider.defaults()).build();
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).projects(78).crawlSimulation(crawls).start();
        ScrapinghubClient client = ScrapinghubClient.create(ClientConfig.builder().apiKey(ApiKey.of(KEY))
            .storageEndpoint(emu.storageUrl()).dashEndpoint(emu.dashUrl()).build())) {
      String job = client.getProject(78).jobs().run(RunRequest.of("books").withArg("items", "40")).key().toString();
      Path out = dir.resolve("live");
      CliRun run = CliRun.run(Map.of("SH_APIKEY", KEY), "follow", "--endpoint=" + emu.storageUrl(),
          "--dash-endpoint=" + emu.dashUrl(), "--project=78", "--spider=books", "--running-jobs", "--poll=1s",
          "--idle-polls=3", "--window=30s", "--parallelism=1", "--progress=none", "--with=spider,job,key",
          "--output=" + out);
      assertEquals(0, run.exitCode(), run.toString());
      List<String> lines = new ArrayList<>();
      try (var files = Files.list(out)) {
        for (Path f : files.filter(f -> f.getFileName().toString().startsWith("items-")).toList()) {
          lines.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
        }
      }
      RecordLog.View stored = emu.state().records(job, RecordType.ITEMS).view();
      assertEquals(stored.size(), lines.size(), run.toString());
      assertTrue(stored.size() > 0);
      for (String line : lines) {
        JsonNode n = JSON.readTree(line);
        Iterator<String> names = n.fieldNames();
        assertEquals(List.of("_key", "_ts", "_job", "_spider"),
            List.of(names.next(), names.next(), names.next(), names.next()), line);
        String key = n.get("_key").asText();
        int index = Integer.parseInt(key.substring(key.lastIndexOf('/') + 1));
        assertEquals(job, n.get("_job").asText(), line);
        assertEquals("books", n.get("_spider").asText(), line);
        assertEquals(stored.timestamp(index), n.get("_ts").asLong(), line);
        String item = new String(stored.copy(index), StandardCharsets.UTF_8);
        assertTrue(line.endsWith("\"_job\":\"" + job + "\",\"_spider\":\"books\"," + item.substring(1)), line);
      }
    }
  }
}
