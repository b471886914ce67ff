package io.scrapinghubio.emulator;

import static io.scrapinghubio.emulator.TestHttp.map;
import static io.scrapinghubio.emulator.TestHttp.maps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Crawls a follow pipeline reads while they run, over HTTP on a manual clock: items written page by
 * page at the configured pace with their store time as {@code _ts}, readable with
 * {@code startafter} while the job runs, stats that refresh at the collector's interval, jobs that
 * fail or are deleted mid-run.
 */
class EmulatorLiveCrawlTest {
  private static final String KEY = "KEY";
  private static final long P = 7301;
  private static final long T0 = 1_700_000_000_000L;

  private final AtomicLong clock = new AtomicLong(T0);
  private ScrapyCloudEmulator emu;
  private TestHttp storage;
  private TestHttp dash;

  @BeforeEach
  void start() {
    CrawlSimulation sim = CrawlSimulation.builder()
        .pendingTime(Duration.ZERO)
        .itemsPerSecond(10) // 1 item per 100 ms unless a job says otherwise
        .itemsPerPage(3)
        .statsInterval(Duration.ofSeconds(1))
        .spider("books", CrawlSimulation.Spider.defaults())
        .spider("fragile", CrawlSimulation.Spider.defaults().withItems(20).withFailureAfterItems(7))
        .build();
    emu = ScrapyCloudEmulator.builder().apiKey(KEY).projects(P).crawlSimulation(sim).start();
    emu.state().clock(clock::get);
    storage = new TestHttp(emu, KEY);
    dash = new TestHttp(emu.dashUrl(), KEY);
  }

  @AfterEach
  void stop() {
    emu.close();
  }

  private void at(long msSinceStart) {
    clock.set(T0 + msSinceStart);
    emu.advanceCrawls();
  }

  private String schedule(String spider, String args) {
    TestHttp.Reply r = dash.form("run.json", "project=" + P + "&spider=" + spider + (args.isEmpty() ? "" : "&" + args));
    assertEquals(200, r.code(), r.text());
    return (String) map(r.json()).get("jobid");
  }

  private Map<String, Object> meta(String job) {
    return map(storage.get("jobs/" + job).jsonLines().get(0));
  }

  private List<Map<String, Object>> items(String job, String query) {
    TestHttp.Reply r = storage.get("items/" + job + "?meta=_key&meta=_ts" + query);
    assertEquals(200, r.code(), r.text());
    return maps(r.jsonLines());
  }

  private long stat(String type, String job) {
    return ((Number) map(map(storage.get(type + "/" + job + "/stats").json()).get("totals")).get("input_values")).longValue();
  }

  private Map<String, Object> summary(String job) {
    for (Object line : storage.get("jobq/" + P + "/list?state=running&state=finished&state=deleted").jsonLines()) {
      if (job.equals(map(line).get("key"))) {
        return map(line);
      }
    }
    throw new AssertionError("no summary line for " + job);
  }

  @Test
  void aRunningJobWritesWholePagesAtItsPaceWithTheirStoreTimes() {
    String job = schedule("books", "items=12"); // 12 items at 10/s: 1.2 s, 4 pages of 3
    at(0);
    assertEquals("running", meta(job).get("state"));
    assertEquals(0, items(job, "").size());
    at(350); // 4 pages over 1200 ms: one page every 300 ms
    List<Map<String, Object>> first = items(job, "");
    assertEquals(3, first.size(), "one whole page");
    for (Map<String, Object> item : first) {
      assertEquals(T0 + 350, ((Number) item.get("_ts")).longValue(), "stored when the step wrote it");
    }
    assertEquals(1, stat("requests", job), "one request record per crawled page");
    at(650);
    List<Map<String, Object>> next = items(job, "&startafter=" + first.get(2).get("_key"));
    assertEquals(3, next.size(), "startafter reads on where the last read stopped");
    assertEquals(job + "/3", next.get(0).get("_key"));
    assertEquals(T0 + 650, ((Number) next.get(0).get("_ts")).longValue());
    assertEquals(3L, ((Number) next.get(0).get("n")).longValue());
    assertEquals(6, stat("items", job), "stats count what is stored, while the job runs");
    assertEquals("running", meta(job).get("state"));
    List<Map<String, Object>> fromStart = items(job, "&start=" + job + "/4");
    assertEquals(List.of(job + "/4", job + "/5"), fromStart.stream().map(m -> m.get("_key")).toList());
    at(1200);
    Map<String, Object> done = meta(job);
    assertEquals("finished", done.get("state"));
    assertEquals("finished", done.get("close_reason"));
    assertEquals(12, items(job, "").size());
    assertEquals(4, stat("requests", job));
    assertEquals(T0 + 1200, ((Number) done.get("finished_time")).longValue());
  }

  @Test
  void aJobSetsItsOwnPaceAndPageSize() {
    String job = schedule("books", "items=10&items_per_second=100&items_per_page=5"); // 100 ms, 2 pages
    at(0);
    at(60);
    assertEquals(5, items(job, "").size());
    at(100);
    assertEquals("finished", meta(job).get("state"));
    assertEquals(10, items(job, "").size());
    String timed = schedule("books", "items=4&run_ms=2000&items_per_second=100"); // run_ms wins
    at(100);
    at(1100);
    assertEquals("running", meta(timed).get("state"));
    assertEquals(3, items(timed, "").size(), "2 pages (3 + 1 items) over 2 s: the first by 1 s");
  }

  @Test
  void statsAndSummaryCountsRefreshAtTheCollectorIntervalWhileRunning() {
    String job = schedule("books", "items=30"); // 3 s
    at(0);
    Map<String, Object> opened = summary(job);
    assertEquals(0L, ((Number) opened.get("items")).longValue(), "posted when the spider opens");
    assertNull(opened.get("close_reason"));
    at(900);
    assertEquals(9, stat("items", job));
    assertEquals(0L, ((Number) summary(job).get("items")).longValue(), "not refreshed before the interval");
    at(1000);
    assertEquals(9L, ((Number) summary(job).get("items")).longValue());
    Map<?, ?> scrapystats = (Map<?, ?>) meta(job).get("scrapystats");
    assertEquals(9L, ((Number) scrapystats.get("item_scraped_count")).longValue());
    assertEquals(3L, ((Number) scrapystats.get("response_received_count")).longValue());
    at(2100);
    assertEquals(21L, ((Number) summary(job).get("items")).longValue());
    at(3000);
    Map<String, Object> finished = summary(job);
    assertEquals(30L, ((Number) finished.get("items")).longValue());
    assertEquals(10L, ((Number) finished.get("pages")).longValue());
    assertEquals("finished", finished.get("close_reason"));
  }

  @Test
  void aJobThatFailsMidRunEndsAtOnceWithWhatItWrote() {
    String job = schedule("fragile", ""); // 20 items over 2 s, fails after 7
    at(0);
    at(500);
    assertEquals("running", meta(job).get("state"));
    assertEquals(3, items(job, "").size());
    at(800);
    assertEquals(6, items(job, "").size());
    at(900); // the third page holds the 7th item
    Map<String, Object> m = meta(job);
    assertEquals("finished", m.get("state"), "the failure ends the job before its time");
    assertEquals("failed", m.get("close_reason"));
    assertEquals(T0 + 900, ((Number) m.get("finished_time")).longValue());
    assertEquals(7, items(job, "").size());
    Map<String, Object> s = summary(job);
    assertEquals(1L, ((Number) s.get("errors")).longValue());
    assertEquals(7L, ((Number) s.get("items")).longValue());
    List<Map<String, Object>> logs = maps(storage.get("logs/" + job).jsonLines());
    assertTrue(logs.stream().anyMatch(l -> ((Number) l.get("level")).intValue() == 40), "an error line: " + logs);
    at(5000);
    assertEquals(7, items(job, "").size(), "nothing after the failure");
    String argFail = schedule("books", "items=10&fail_after=0");
    at(5000);
    at(5001);
    assertEquals("failed", meta(argFail).get("close_reason"));
    assertEquals(0, items(argFail, "").size());
  }

  @Test
  void aJobDeletedWhileRunningStopsAndItsDataReadsAsGone() {
    String job = schedule("books", "items=20");
    at(0);
    at(600);
    List<Map<String, Object>> seen = items(job, "");
    assertEquals(6, seen.size());
    TestHttp.Reply deleted = storage.post("jobq/" + P + "/update", "{\"key\": \"" + job + "\", \"state\": \"deleted\"}");
    assertEquals(200, deleted.code(), deleted.text());
    at(2000);
    Map<String, Object> m = meta(job);
    assertEquals("deleted", m.get("state"));
    assertFalse(m.containsKey("close_reason"), "a deleted job is not finished by the crawl");
    assertEquals(0, items(job, "&startafter=" + seen.get(5).get("_key")).size());
    assertEquals(0, items(job, "").size());
    assertEquals(0, stat("items", job));
    assertTrue(storage.get("jobq/" + P + "/list?state=running").jsonLines().isEmpty(), "its units are free");
  }

  @Test
  void badSettingsAreRefusedNamingTheValue() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CrawlSimulation.builder().itemsPerSecond(0));
    assertTrue(e.getMessage().contains("itemsPerSecond") && e.getMessage().contains("0.0"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> CrawlSimulation.builder().itemsPerPage(0));
    assertTrue(e.getMessage().contains("itemsPerPage"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> CrawlSimulation.builder().statsInterval(Duration.ZERO));
    assertTrue(e.getMessage().contains("statsInterval"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> CrawlSimulation.Spider.defaults().withFailureAfterItems(-1));
    assertTrue(e.getMessage().contains("-1"), e.getMessage());
  }
}
