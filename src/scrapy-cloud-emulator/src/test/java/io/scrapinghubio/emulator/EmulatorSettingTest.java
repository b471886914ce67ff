package io.scrapinghubio.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import io.scrapinghubio.emulator.demo.DemoData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one table of the emulator's settings: its defaults are the emulator's own, its variable names
 * are the ones the image documents, and each surface in this module (EmulatorMain's options and
 * usage, the container's variables) reads every setting. A new setting fails here until it does.
 */
class EmulatorSettingTest {

  /** A valid value per setting (its default where it has one): what the surfaces are fed below. */
  static Map<EmulatorSetting, String> sampleValues(Path keyFile) {
    Map<EmulatorSetting, String> v = new EnumMap<>(EmulatorSetting.class);
    for (EmulatorSetting s : EmulatorSetting.values()) {
      if (s.defaultValue() != null && !s.isSwitch()) {
        v.put(s, s.defaultValue());
      }
    }
    v.put(EmulatorSetting.PORT, "0");
    v.put(EmulatorSetting.APIKEY, "key");
    v.put(EmulatorSetting.APIKEY_FILE, keyFile.toString());
    v.put(EmulatorSetting.PROJECT, "7");
    v.put(EmulatorSetting.SPIDER, "7/books");
    v.put(EmulatorSetting.CRAWL_SPIDER, "news");
    v.put(EmulatorSetting.CRAWL_ITEMS_PER_SECOND, "5");
    return v;
  }

  @Test
  void variablesKeepTheNamesTheImageDocuments() {
    List<String> names = new ArrayList<>();
    for (EmulatorSetting s : EmulatorSetting.values()) {
      names.add(s.variable());
    }
    assertEquals(List.of("EMULATOR_PORT", "EMULATOR_HOST", "EMULATOR_APIKEY", "EMULATOR_APIKEY_FILE",
        "EMULATOR_DEMO_JOBS", "EMULATOR_DEMO_ITEMS_PER_JOB", "EMULATOR_DEMO_PROJECT", "EMULATOR_PROJECT",
        "EMULATOR_SPIDER", "EMULATOR_CRAWL_SPIDER", "EMULATOR_CRAWL_PENDING_MS", "EMULATOR_CRAWL_RUNNING_MS",
        "EMULATOR_CRAWL_ITEMS_PER_JOB", "EMULATOR_CRAWL_ITEMS_PER_SECOND", "EMULATOR_CRAWL_ITEMS_PER_PAGE",
        "EMULATOR_CRAWL_STATS_INTERVAL_MS", "EMULATOR_CRAWL_UNITS", "EMULATOR_CRAWL_TICK_MS", "EMULATOR_SEED",
        "EMULATOR_LATENCY_MS", "EMULATOR_LATENCY_JITTER_MS", "EMULATOR_BANDWIDTH_MBPS", "EMULATOR_FAULT_RATE",
        "EMULATOR_FAULT_SEED", "EMULATOR_GZIP"), names);
    assertEquals("--no-gzip", EmulatorSetting.GZIP.option());
    assertEquals(EmulatorSetting.DEMO_ITEMS_PER_JOB, EmulatorSetting.ofOption("--demo-items-per-job"));
  }

  /** The table's defaults are what the builders do without it: a user of the Java API sees the same. */
  @Test
  void defaultsAreTheBuildersDefaults() {
    CrawlSimulation crawl = CrawlSimulation.builder().build();
    assertEquals(crawl.pendingTime().toMillis(), Long.parseLong(EmulatorSetting.CRAWL_PENDING_MS.defaultValue()));
    assertEquals(crawl.runningTime().toMillis(), Long.parseLong(EmulatorSetting.CRAWL_RUNNING_MS.defaultValue()));
    assertEquals(crawl.itemsPerJob(), Integer.parseInt(EmulatorSetting.CRAWL_ITEMS_PER_JOB.defaultValue()));
    assertEquals(crawl.itemsPerPage(), Integer.parseInt(EmulatorSetting.CRAWL_ITEMS_PER_PAGE.defaultValue()));
    assertEquals(crawl.statsInterval().toMillis(), Long.parseLong(EmulatorSetting.CRAWL_STATS_INTERVAL_MS.defaultValue()));
    assertEquals(crawl.unitsCapacity(), Integer.parseInt(EmulatorSetting.CRAWL_UNITS.defaultValue()));
    assertEquals(crawl.tick().toMillis(), Long.parseLong(EmulatorSetting.CRAWL_TICK_MS.defaultValue()));
    DemoData demo = DemoData.defaults();
    assertEquals(demo.itemsPerJob(), Integer.parseInt(EmulatorSetting.DEMO_ITEMS_PER_JOB.defaultValue()));
    assertEquals(demo.project(), Long.parseLong(EmulatorSetting.DEMO_PROJECT.defaultValue()));
    assertEquals(demo.seed(), Long.parseLong(EmulatorSetting.SEED.defaultValue()));
    EmulatorMain.Options none = EmulatorMain.parse(new String[0]);
    assertEquals(8080, none.port);
    assertEquals(42, none.faultSeed);
    assertTrue(none.gzip);
  }

  /** EmulatorMain reads every setting, and its usage lists it. */
  @Test
  void emulatorMainReadsEverySetting(@TempDir Path dir) throws Exception {
    Path keys = Files.writeString(dir.resolve("keys"), "secret\n");
    for (EmulatorSetting s : EmulatorSetting.values()) {
      String[] args = s.isSwitch() ? new String[] {s.option()} : new String[] {s.option(), sampleValues(keys).get(s)};
      EmulatorMain.parse(args); // throws for an unknown option; AssertionError for a setting it forgets
      assertTrue(EmulatorMain.USAGE.contains("\n  " + s.option() + " "), s + " in the usage");
    }
  }

  /** The container's entry point turns every setting's variable into its option. */
  @Test
  void theContainerReadsEverySetting(@TempDir Path dir) throws Exception {
    Path keys = Files.writeString(dir.resolve("keys"), "secret\n");
    for (EmulatorSetting s : EmulatorSetting.values()) {
      String value = s.isSwitch() ? "false" : sampleValues(keys).get(s);
      List<String> args = EmulatorContainerMain.arguments(Map.of(s.variable(), value), new String[0]);
      assertEquals(s.isSwitch() ? List.of(s.option()) : List.of(s.option(), value), args, s.variable());
      EmulatorMain.parse(args.toArray(new String[0]));
    }
  }
}
