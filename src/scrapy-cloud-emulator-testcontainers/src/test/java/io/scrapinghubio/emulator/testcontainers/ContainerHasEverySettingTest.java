package io.scrapinghubio.emulator.testcontainers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.emulator.EmulatorSetting;
import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Every emulator setting ({@link EmulatorSetting}) has a typed {@code withX} method on the container,
 * and that method sets the setting's own variable: a new setting fails here until the container
 * offers it (or it is listed below as deliberately not offered, with the reason). Runs without Docker.
 */
class ContainerHasEverySettingTest {
  private static final String IMAGE = "scrapinghubio/scrapy-cloud-emulator:0.1.0";

  /** Settings a container does not offer as a method, each for a reason given here. */
  private static final Set<EmulatorSetting> NOT_OFFERED = EnumSet.of(
      // A key file is for keys that must not show in ps; a test container's key is a test key
      // (withApiKey), which clientConfig() must know. withEnv(EMULATOR_APIKEY_FILE) remains possible.
      EmulatorSetting.APIKEY_FILE);

  /** The method that sets each setting, called with a valid value. */
  private static Map<EmulatorSetting, UnaryOperator<ScrapyCloudEmulatorContainer>> setters() {
    CrawlSimulation sim = CrawlSimulation.builder().itemsPerSecond(5).spider("books", CrawlSimulation.Spider.defaults()).build();
    Map<EmulatorSetting, UnaryOperator<ScrapyCloudEmulatorContainer>> m = new EnumMap<>(EmulatorSetting.class);
    m.put(EmulatorSetting.PORT, ScrapyCloudEmulatorContainer::withHostNetwork);
    m.put(EmulatorSetting.HOST, ScrapyCloudEmulatorContainer::withHostNetwork);
    m.put(EmulatorSetting.APIKEY, c -> c.withApiKey("k"));
    m.put(EmulatorSetting.DEMO_JOBS, c -> c.withDemoData(2, 10));
    m.put(EmulatorSetting.DEMO_ITEMS_PER_JOB, c -> c.withDemoData(2, 10));
    m.put(EmulatorSetting.DEMO_PROJECT, c -> c.withDemoProject(5));
    m.put(EmulatorSetting.PROJECT, c -> c.withProjects(7));
    m.put(EmulatorSetting.SPIDER, c -> c.withSpiders(7, "books"));
    for (EmulatorSetting crawl : EmulatorSetting.values()) {
      if (crawl.settingName().startsWith("crawl-")) {
        m.put(crawl, c -> c.withCrawlSimulation(sim));
      }
    }
    m.put(EmulatorSetting.SEED, c -> c.withSeed(3));
    m.put(EmulatorSetting.LATENCY_MS, c -> c.withLatency(Duration.ofMillis(5)));
    m.put(EmulatorSetting.LATENCY_JITTER_MS, c -> c.withLatencyJitter(Duration.ofMillis(5)));
    m.put(EmulatorSetting.BANDWIDTH_MBPS, c -> c.withBandwidthMbps(0.5));
    m.put(EmulatorSetting.FAULT_RATE, c -> c.withFaultRate(0.1));
    m.put(EmulatorSetting.FAULT_SEED, c -> c.withFaultSeed(9));
    m.put(EmulatorSetting.GZIP, c -> c.withGzip(false));
    return m;
  }

  @Test
  void everySettingHasAMethodThatSetsItsVariable() {
    Map<EmulatorSetting, UnaryOperator<ScrapyCloudEmulatorContainer>> setters = setters();
    for (EmulatorSetting s : EmulatorSetting.values()) {
      if (NOT_OFFERED.contains(s)) {
        continue;
      }
      assertTrue(setters.containsKey(s), s + " (" + s.variable() + ") has no withX method on the container");
      try (ScrapyCloudEmulatorContainer c = setters.get(s).apply(new ScrapyCloudEmulatorContainer(IMAGE))) {
        assertTrue(c.getEnvMap().containsKey(s.variable()), s + ": " + c.getEnvMap());
      }
    }
  }

  @Test
  void spidersOfSeveralProjectsAddUp() {
    try (ScrapyCloudEmulatorContainer c = new ScrapyCloudEmulatorContainer(IMAGE).withSpiders(7, "books", "news").withSpiders(8, "x")) {
      assertEquals("7/books,7/news,8/x", c.getEnvMap().get(EmulatorSetting.SPIDER.variable()));
    }
  }
}
