package io.scrapinghubio.emulator;

import static io.scrapinghubio.emulator.TestHttp.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The crawl simulation from the command line and from the container's variables. */
class EmulatorMainCrawlOptionsTest {

  @Test
  void everyCrawlOptionReachesTheSimulation() {
    EmulatorMain.Options o = EmulatorMain.parse(new String[] {"--crawl-spider", "books", "--crawl-spider", "news",
        "--crawl-pending-ms", "5", "--crawl-running-ms", "700", "--crawl-items-per-job", "40", "--crawl-items-per-second", "12.5",
        "--crawl-items-per-page", "4", "--crawl-stats-interval-ms", "250", "--crawl-units", "3", "--crawl-tick-ms", "20"});
    CrawlSimulation sim = o.crawls.build();
    assertEquals(Set.of("books", "news"), sim.spiders().keySet());
    assertEquals(Duration.ofMillis(5), sim.pendingTime());
    assertEquals(Duration.ofMillis(700), sim.runningTime());
    assertEquals(40, sim.itemsPerJob());
    assertEquals(12.5, sim.itemsPerSecond());
    assertEquals(4, sim.itemsPerPage());
    assertEquals(Duration.ofMillis(250), sim.statsInterval());
    assertEquals(3, sim.unitsCapacity());
    assertEquals(Duration.ofMillis(20), sim.tick());
    assertEquals(3200, sim.runningMillis("books", Map.of()), "40 items at 12.5/s");
  }

  @Test
  void withoutCrawlOptionsJobsStayWhereTheyArePut() {
    assertNull(EmulatorMain.parse(new String[] {"--project", "1"}).crawls);
  }

  @Test
  void badCrawlValuesNameTheOption() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> EmulatorMain.parse(new String[] {"--crawl-items-per-second", "0"}));
    assertEquals("option --crawl-items-per-second: expected a number of items per second > 0, but was 0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> EmulatorMain.parse(new String[] {"--crawl-items-per-page", "0"}));
    assertEquals("option --crawl-items-per-page: 0 is out of range 1..1000000", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> EmulatorMain.parse(new String[] {"--crawl-running-ms", "soon"}));
    assertEquals("option --crawl-running-ms: not a number: soon", e.getMessage());
  }

  @Test
  void theContainerVariablesBecomeCrawlOptions() {
    List<String> args = EmulatorContainerMain.arguments(Map.of("EMULATOR_CRAWL_SPIDER", "books, news",
        "EMULATOR_CRAWL_ITEMS_PER_SECOND", "50", "EMULATOR_CRAWL_STATS_INTERVAL_MS", "1000"), new String[0]);
    assertEquals(List.of("--crawl-spider", "books", "--crawl-spider", "news", "--crawl-items-per-second", "50",
        "--crawl-stats-interval-ms", "1000"), args);
    CrawlSimulation sim = EmulatorMain.parse(args.toArray(new String[0])).crawls.build();
    assertEquals(Set.of("books", "news"), sim.spiders().keySet());
    assertEquals(50.0, sim.itemsPerSecond());
  }

  /** End to end: a standalone emulator started with crawl options runs a scheduled job to its end. */
  @Test
  void aStandaloneEmulatorRunsScheduledCrawls() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CountDownLatch stop = new CountDownLatch(1);
    Thread main = new Thread(() -> {
      try {
        EmulatorMain.run(new String[] {"--port", "0", "--apikey", "K", "--project", "42", "--crawl-spider", "books",
            "--crawl-pending-ms", "0", "--crawl-items-per-second", "200", "--crawl-items-per-job", "6"},
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), stop);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "emulator-main-under-test");
    main.start();
    try {
      EmulatorReadyLine ready = awaitReady(out);
      assertTrue(out.toString(StandardCharsets.UTF_8).contains("crawls: CrawlSimulation{"), out.toString(StandardCharsets.UTF_8));
      TestHttp dash = new TestHttp(ready.dashUrl(), "K");
      String job = (String) map(dash.form("run.json", "project=42&spider=books").json()).get("jobid");
      TestHttp storage = new TestHttp(ready.storageUrl(), "K");
      // Waits for the job's end, whatever the machine's speed: the test asserts what it wrote, not when.
      for (int i = 0; i < 1000 && !"finished".equals(map(storage.get("jobs/" + job).jsonLines().get(0)).get("state")); i++) {
        Thread.sleep(10);
      }
      assertEquals("finished", map(storage.get("jobs/" + job).jsonLines().get(0)).get("state"));
      assertEquals(6, storage.get("items/" + job).jsonLines().size());
    } finally {
      stop.countDown();
      main.join();
    }
  }

  private static EmulatorReadyLine awaitReady(ByteArrayOutputStream out) throws InterruptedException {
    for (int i = 0; i < 3000; i++) {
      Optional<EmulatorReadyLine> ready = out.toString(StandardCharsets.UTF_8).lines()
          .map(EmulatorReadyLine::parse).flatMap(Optional::stream).findFirst();
      if (ready.isPresent()) {
        return ready.get();
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the emulator printed no ready line: " + out.toString(StandardCharsets.UTF_8));
  }
}
