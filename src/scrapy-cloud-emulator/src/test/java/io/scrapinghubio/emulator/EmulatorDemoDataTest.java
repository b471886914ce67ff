package io.scrapinghubio.emulator;

import static io.scrapinghubio.emulator.TestHttp.map;
import static io.scrapinghubio.emulator.TestHttp.maps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.emulator.demo.DemoData;
import io.scrapinghubio.emulator.json.Json;
import io.scrapinghubio.emulator.store.EncodedRecord;
import io.scrapinghubio.emulator.store.RecordCodec;
import io.scrapinghubio.emulator.store.RecordLog;
import io.scrapinghubio.emulator.store.RecordStats;
import io.scrapinghubio.emulator.store.RecordType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmulatorDemoDataTest {

  @Test
  void jobsCountsAndExactStats() {
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().demoData(DemoData.of(4, 300)).start()) {
      assertEquals(4, emu.demoJobs().size());
      TestHttp h = new TestHttp(emu, null);
      long p = DemoData.DEFAULT_PROJECT;
      assertEquals("4", h.get("jobq/" + p + "/count").text());
      for (Map<String, Object> s : maps(h.get("jobq/" + p + "/list").jsonLines())) {
        assertEquals(300, s.get("items"));
        assertEquals(50, s.get("logs"));
        assertEquals(100, s.get("pages"));
        assertEquals("finished", s.get("close_reason"));
      }
      for (String job : emu.demoJobs()) {
        for (RecordType t : RecordType.values()) {
          assertEquals(recomputed(emu.state().records(job, t)), emu.state().stats(job, t), job + " " + t);
        }
        Map<String, Object> stats = map(h.get("items/" + job + "/stats").json());
        assertEquals(300, map(stats.get("totals")).get("input_values"));
        assertEquals(Map.of("item_scraped_count", 300L, "response_received_count", 100L,
            "log_count/ERROR", emu.state().stats(job, RecordType.LOGS).errorCount(), "finish_reason", "finished"),
            emu.state().job(job).orElseThrow().get("scrapystats"));
      }
      Map<String, Object> spiders = map(new TestHttp(emu.dashUrl(), null).get("spiders/list.json?project=" + p).json());
      assertEquals(3, ((List<?>) spiders.get("spiders")).size());
    }
  }

  @Test
  void demoJobsRecordTheDashUrlTheyAreServedFrom() {
    // Demo data is seeded before the port is bound, so a port the system picks (0) is not known
    // while the jobs are created; their metadata must still name it.
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().port(0).demoData(DemoData.of(2, 1)).start()) {
      for (String job : emu.demoJobs()) {
        Map<String, Object> meta = map(new TestHttp(emu, null).get("jobs/" + job).json());
        assertEquals(emu.dashUrl(), meta.get("api_url"), job);
        assertEquals(emu.storageUrl() + "portia/", meta.get("portia_url"), job);
      }
      String later = emu.state().addJob(DemoData.DEFAULT_PROJECT, "products", "finished", Map.of()).key();
      assertEquals(emu.dashUrl(), emu.state().job(later).orElseThrow().get("api_url"));
    }
  }

  /** Stats as the HTTP write path would compute them from the stored bytes. */
  private static RecordStats recomputed(RecordLog log) {
    RecordLog.View v = log.view();
    Map<String, Long> counts = new LinkedHashMap<>();
    long bytes = 0;
    long values = 0;
    for (int i = 0; i < v.size(); i++) {
      if (!v.present(i)) {
        continue;
      }
      Object parsed = v.parse(i);
      EncodedRecord e = RecordCodec.encode(log.type(), parsed);
      assertEquals(new String(v.copy(i)), new String(e.json()), "stored bytes are the normalised form");
      bytes += e.inputBytes();
      values++;
      for (String k : e.countKeys()) {
        counts.merge(k, 1L, Long::sum);
      }
    }
    RecordStats actual = log.stats();
    assertEquals(counts, new LinkedHashMap<>(actual.counts()));
    return new RecordStats(actual.counts(), bytes, values);
  }

  @Test
  void itemsLookLikeProductsOfAboutOnePointFourKb() {
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().demoData(DemoData.of(1, 2000)).start()) {
      RecordLog items = emu.state().records(emu.demoJobs().get(0), RecordType.ITEMS);
      double avg = items.storedBytes() / 2000.0;
      assertTrue(avg > 1250 && avg < 1550, "average item size " + avg);
      Map<String, Object> item = map(Json.parse(items.view().copy(0)));
      for (String f : List.of("url", "title", "price", "currency", "sku", "description", "images", "breadcrumbs",
          "attributes", "scraped_at")) {
        assertTrue(item.containsKey(f), f);
      }
    }
  }

  @Test
  void sameSeedSameRecords() {
    byte[] a;
    byte[] b;
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().demoData(DemoData.of(2, 50).withSeed(9)).start()) {
      a = new TestHttp(emu, null).get("items/" + emu.demoJobs().get(1) + "?meta=_key").body();
    }
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().demoData(DemoData.of(2, 50).withSeed(9)).start()) {
      b = new TestHttp(emu, null).get("items/" + emu.demoJobs().get(1) + "?meta=_key").body();
    }
    assertEquals(new String(a), new String(b));
  }
}
