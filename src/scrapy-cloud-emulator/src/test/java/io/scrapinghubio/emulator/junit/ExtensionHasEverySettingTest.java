package io.scrapinghubio.emulator.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.emulator.EmulatorSetting;
import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import io.scrapinghubio.emulator.demo.DemoData;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Every emulator setting ({@link EmulatorSetting}) can be given to the JUnit extension, or is listed
 * here as not offered, with the reason: a new setting fails here until one of the two is true.
 */
class ExtensionHasEverySettingTest {

  /** Settings the extension does not offer, each for a reason given here. */
  private static final Set<EmulatorSetting> NOT_OFFERED = EnumSet.of(
      // One emulator per test class on a free loopback port, so that classes in parallel never collide.
      EmulatorSetting.PORT, EmulatorSetting.HOST,
      // Keys in a test are test keys, given in code (withApiKey).
      EmulatorSetting.APIKEY_FILE,
      // Faults are a test's own: set on emu.faults() in the test, reset before each test.
      EmulatorSetting.FAULT_RATE);

  /** The call that gives each setting, with a valid value. */
  private static Map<EmulatorSetting, UnaryOperator<ScrapyCloudEmulatorExtension>> setters() {
    Map<EmulatorSetting, UnaryOperator<ScrapyCloudEmulatorExtension>> m = new EnumMap<>(EmulatorSetting.class);
    m.put(EmulatorSetting.APIKEY, e -> ScrapyCloudEmulatorExtension.withApiKey("k"));
    for (EmulatorSetting demo : EnumSet.of(EmulatorSetting.DEMO_JOBS, EmulatorSetting.DEMO_ITEMS_PER_JOB,
        EmulatorSetting.DEMO_PROJECT, EmulatorSetting.SEED)) {
      m.put(demo, e -> e.demoData(DemoData.of(2, 10).withProject(5).withSeed(3)));
    }
    m.put(EmulatorSetting.PROJECT, e -> e.projects(7));
    m.put(EmulatorSetting.SPIDER, e -> e.spiders(7, "books"));
    for (EmulatorSetting s : EmulatorSetting.values()) {
      if (s.settingName().startsWith("crawl-")) {
        m.put(s, e -> e.crawlSimulation(CrawlSimulation.builder().spider("books", CrawlSimulation.Spider.defaults()).build()));
      }
    }
    m.put(EmulatorSetting.LATENCY_MS, e -> e.latencyMs(5));
    m.put(EmulatorSetting.LATENCY_JITTER_MS, e -> e.latencyJitterMs(5));
    m.put(EmulatorSetting.BANDWIDTH_MBPS, e -> e.bandwidthMbps(0.5));
    m.put(EmulatorSetting.FAULT_SEED, e -> e.faultSeed(9));
    m.put(EmulatorSetting.GZIP, e -> e.gzip(false));
    return m;
  }

  @Test
  void everySettingIsOfferedOrSaidNotToBe() {
    Map<EmulatorSetting, UnaryOperator<ScrapyCloudEmulatorExtension>> setters = setters();
    for (EmulatorSetting s : EmulatorSetting.values()) {
      assertTrue(setters.containsKey(s) ^ NOT_OFFERED.contains(s),
          s + " must be either given by a method of the extension or listed as not offered");
      if (setters.containsKey(s)) {
        assertNotNull(setters.get(s).apply(new ScrapyCloudEmulatorExtension()), s.toString());
      }
    }
    assertEquals(EmulatorSetting.values().length, setters.size() + NOT_OFFERED.size());
  }

  @Test
  void aBadValueIsRefusedWhenGivenNotWhenTheClassStarts() {
    assertThrows(IllegalArgumentException.class, () -> new ScrapyCloudEmulatorExtension().latencyMs(-1));
    assertThrows(IllegalArgumentException.class, () -> new ScrapyCloudEmulatorExtension().spiders(7, "a/b"));
  }
}
