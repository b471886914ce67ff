package io.scrapinghubio.emulator.testcontainers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the container asks of the image, checked without Docker: each setting becomes the
 * emulator's variable, host networking binds loopback on a port of the emulator's choosing, bad
 * settings are refused at once.
 */
class ScrapyCloudEmulatorContainerConfigTest {
  private static final String IMAGE = "scrapinghubio/scrapy-cloud-emulator:0.1.0";

  @Test
  void settingsBecomeTheImagesVariables() {
    try (ScrapyCloudEmulatorContainer c = new ScrapyCloudEmulatorContainer(IMAGE).withApiKey("k1").withDemoData(3, 40)
        .withDemoProject(99).withLatency(Duration.ofMillis(250)).withLatencyJitter(Duration.ofMillis(40))
        .withBandwidthMbps(0.5).withGzip(false)) {
      assertEquals(Map.of("EMULATOR_APIKEY", "k1", "EMULATOR_DEMO_JOBS", "3", "EMULATOR_DEMO_ITEMS_PER_JOB", "40",
          "EMULATOR_DEMO_PROJECT", "99", "EMULATOR_LATENCY_MS", "250", "EMULATOR_LATENCY_JITTER_MS", "40",
          "EMULATOR_BANDWIDTH_MBPS", "0.5", "EMULATOR_GZIP", "false"), c.getEnvMap());
      assertEquals(List.of(ScrapyCloudEmulatorContainer.EMULATOR_PORT), c.getExposedPorts(), "published by default");
      assertEquals("k1", c.getApiKey());
      assertEquals(99, c.getDemoProject());
    }
  }

  @Test
  void aCrawlSimulationBecomesTheImagesCrawlVariables() {
    CrawlSimulation sim = CrawlSimulation.builder().pendingTime(Duration.ofMillis(5)).itemsPerSecond(20).itemsPerPage(4)
        .statsInterval(Duration.ofSeconds(2)).unitsCapacity(3).spider("books", CrawlSimulation.Spider.defaults())
        .spider("news", CrawlSimulation.Spider.defaults()).build();
    try (ScrapyCloudEmulatorContainer c = new ScrapyCloudEmulatorContainer(IMAGE).withProjects(7, 8).withCrawlSimulation(sim)) {
      Map<String, String> env = c.getEnvMap();
      assertEquals("7,8", env.get("EMULATOR_PROJECT"));
      assertEquals("books,news", env.get("EMULATOR_CRAWL_SPIDER"));
      assertEquals("5", env.get("EMULATOR_CRAWL_PENDING_MS"));
      assertEquals("20.0", env.get("EMULATOR_CRAWL_ITEMS_PER_SECOND"));
      assertEquals("4", env.get("EMULATOR_CRAWL_ITEMS_PER_PAGE"));
      assertEquals("2000", env.get("EMULATOR_CRAWL_STATS_INTERVAL_MS"));
      assertEquals("3", env.get("EMULATOR_CRAWL_UNITS"));
      assertEquals(9, env.keySet().stream().filter(k -> k.startsWith("EMULATOR_CRAWL_")).count(),
          "every setting of the simulation has its variable: " + env);
    }
    CrawlSimulation own = CrawlSimulation.builder().spider("flaky", CrawlSimulation.Spider.defaults().withFailureAfterItems(3)).build();
    try (ScrapyCloudEmulatorContainer c = new ScrapyCloudEmulatorContainer(IMAGE)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.withCrawlSimulation(own));
      assertEquals(true, e.getMessage().contains("'flaky'"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> c.withProjects(0));
    }
  }

  @Test
  void defaultsAreAKnownKeyAndTheDemoProject() {
    try (ScrapyCloudEmulatorContainer c = new ScrapyCloudEmulatorContainer(IMAGE)) {
      assertEquals(Map.of("EMULATOR_APIKEY", ScrapyCloudEmulatorContainer.DEFAULT_API_KEY), c.getEnvMap());
      assertEquals(2222222, c.getDemoProject());
    }
  }

  @Test
  void hostNetworkBindsLoopbackOnAPortTheEmulatorChooses() {
    try (ScrapyCloudEmulatorContainer c = new ScrapyCloudEmulatorContainer(IMAGE).withHostNetwork()) {
      assertEquals("host", c.getNetworkMode());
      assertEquals(List.of(), c.getExposedPorts());
      assertEquals("127.0.0.1", c.getEnvMap().get("EMULATOR_HOST"));
      assertEquals("0", c.getEnvMap().get("EMULATOR_PORT"));
    }
  }

  @Test
  void readyLineGivesTheStorageUrl() {
    var m = ScrapyCloudEmulatorContainer.READY_LINE.matcher("Scrapy Cloud emulator ready on http://127.0.0.1:41234/ (storage API) and "
        + "http://127.0.0.1:41234/api/ (dash API)\n");
    assertEquals(true, m.find());
    assertEquals("http://127.0.0.1:41234/", m.group(1));
  }

  @Test
  void badSettingsAreRefusedAtOnce() {
    try (ScrapyCloudEmulatorContainer c = new ScrapyCloudEmulatorContainer(IMAGE)) {
      assertThrows(IllegalArgumentException.class, () -> c.withDemoData(-1, 5));
      assertThrows(IllegalArgumentException.class, () -> c.withLatency(Duration.ofMillis(-1)));
      assertThrows(IllegalArgumentException.class, () -> c.withLatencyJitter(Duration.ofMillis(-1)));
      assertThrows(IllegalArgumentException.class, () -> c.withBandwidthMbps(-1));
      assertThrows(IllegalArgumentException.class, () -> c.withBandwidthMbps(Double.NaN));
      assertThrows(IllegalArgumentException.class, () -> c.withApiKey("a,b"));
      assertThrows(IllegalArgumentException.class, () -> c.withDemoProject(0));
      assertThrows(IllegalStateException.class, c::getStorageUrl, "no URL before start");
    }
    assertThrows(IllegalStateException.class, () -> new ScrapyCloudEmulatorContainer("postgres:16"),
        "another image is not taken for the emulator");
  }
}
