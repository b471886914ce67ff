package io.scrapinghubio.emulator;

import static io.scrapinghubio.emulator.TestHttp.map;
import static io.scrapinghubio.emulator.TestHttp.maps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EmulatorCollectionsTest {
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey("KEY").projects(6001, 6002, 6003, 6004);

  static String twenty(String prefix) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      sb.append("{\"_key\": \"").append(prefix).append(i).append("\", \"counter\": ").append(i)
          .append(", \"field1\": \"value1\"}\n");
    }
    return sb.toString();
  }

  @Test
  void postGetDeleteAndErrors(ScrapyCloudEmulator emu) throws Exception {
    TestHttp h = new TestHttp(emu, "KEY");
    String c = "collections/6001/s/test_collection_123";
    TestHttp.Reply w = h.post(c, "{\"field1\": \"value1\", \"field2\": [\"a\", \"b\"], \"_key\": \"insert_test_key\"}");
    assertEquals(200, w.code());
    assertEquals("text/plain; charset=UTF-8", w.contentType());
    TestHttp.Reply r = h.get(c + "/insert_test_key");
    assertEquals("application/x-jsonlines; charset=UTF-8", r.contentType());
    assertEquals("{\"field1\":\"value1\",\"field2\":[\"a\",\"b\"]}\n", r.text());
    TestHttp.Reply mp = h.get(c + "/insert_test_key", "Accept", "application/x-msgpack");
    assertEquals("application/x-msgpack; charset=UTF-8", mp.contentType());
    assertEquals(List.of(Map.of("field1", "value1", "field2", List.of("a", "b"))), EmulatorRecordsTest.unpackAll(mp.body()));
    h.post(c + "/deleted", "\"insert_test_key\"");
    TestHttp.Reply missing = h.get(c + "/insert_test_key");
    assertEquals(404, missing.code());
    assertNull(missing.contentType());
    assertEquals("Not Found\n", missing.text());
    TestHttp.Reply noKey = h.post(c, "{\"foo\": 42}");
    assertEquals(400, noKey.code());
    assertEquals("Error parsing data, missing value for _key field\n", noKey.text());
    TestHttp.Reply big = h.post(c, "{\"_key\": \"large\", \"value\": \"" + "x".repeat(1024 * 1024) + "\"}");
    assertEquals(413, big.code());
    assertEquals("Error parsing data, Serialized value too large - max 1048576 bytes\n", big.text());
  }

  @Test
  void scansAreOrderedByKey(ScrapyCloudEmulator emu) {
    TestHttp h = new TestHttp(emu, "KEY");
    String c = "collections/6002/s/scan";
    h.post(c + "?start=0", TestHttp.gzip(twenty("post_scan_test")), "content-encoding", "gzip");
    List<Map<String, Object>> p1 = maps(h.get(c + "?prefix=post_scan_test1&meta=_key").jsonLines());
    assertEquals(11, p1.size());
    assertEquals("post_scan_test1", p1.get(0).get("_key"));
    assertEquals("post_scan_test10", p1.get(1).get("_key"));
    assertEquals(19, h.get(c + "?start=post_scan_test1").jsonLines().size());
    List<Map<String, Object>> after = maps(h.get(c + "?startafter=post_scan_test18&meta=_key").jsonLines());
    assertEquals("post_scan_test19", after.get(0).get("_key"));
    assertEquals(2, h.get(c + "?prefix=post_scan_test1&filter="
        + EmulatorRecordsTest.enc("[\"counter\", \">\", [17]]")).jsonLines().size());
    assertEquals(2, h.get(c + "?key=post_scan_test3&key=post_scan_test4").jsonLines().size());
    assertEquals(3, h.get(c + "?count=3").jsonLines().size());
    assertEquals(List.of(Map.of("_key", "post_scan_test0")), maps(h.get(c + "?count=1&nodata=1&meta=_key").jsonLines()));
    assertEquals(2, h.get(c + "?prefix=post_scan_test1&prefixcount=2").jsonLines().size());
    TestHttp.Reply count = h.get(c + "/count");
    assertEquals("application/json; charset=UTF-8", count.contentType());
    assertEquals("{\"count\":20,\"scanned\":20}", count.text());
    assertEquals("{\"count\":11,\"scanned\":20}", h.get(c + "/count?prefix=post_scan_test1").text());
  }

  @Test
  void countPaginatesWithNextstart(ScrapyCloudEmulator emu) {
    TestHttp h = new TestHttp(emu, "KEY");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 10_005; i++) {
      sb.append("{\"_key\": \"k").append(String.format("%05d", i)).append("\"}\n");
    }
    h.post("collections/6003/s/big", sb.toString());
    Map<String, Object> page = map(h.get("collections/6003/s/big/count").json());
    assertEquals(10_000, page.get("count"));
    assertEquals("k10000", page.get("nextstart"));
    assertEquals("{\"count\":5,\"scanned\":5}", h.get("collections/6003/s/big/count?start=k10000").text());
  }

  @Test
  void listAndTruncate(ScrapyCloudEmulator emu) {
    TestHttp h = new TestHttp(emu, "KEY");
    h.post("collections/6004/s/c1", "{\"_key\": \"a\"}");
    h.post("collections/6004/vs/c1", "{\"_key\": \"a\"}");
    h.post("collections/6004/s/c2", "{\"_key\": \"a\"}");
    assertEquals(List.of(Map.of("type", "s", "name", "c1"), Map.of("type", "vs", "name", "c1"),
        Map.of("type", "s", "name", "c2")), h.get("collections/6004/list").jsonLines());
    TestHttp.Reply t = h.post("collections/6004/delete?name=c1", "");
    assertEquals(202, t.code());
    assertEquals("{\"status\":\"success\",\"deleted\":\"c1\"}", t.text());
    assertEquals(0, h.get("collections/6004/s/c1?meta=_key").body().length);
    assertEquals(1, h.get("collections/6004/list").jsonLines().size());
  }
}
