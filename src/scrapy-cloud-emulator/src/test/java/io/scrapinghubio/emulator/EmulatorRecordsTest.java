package io.scrapinghubio.emulator;

import static io.scrapinghubio.emulator.TestHttp.map;
import static io.scrapinghubio.emulator.TestHttp.maps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.emulator.store.JobState;
import io.scrapinghubio.emulator.store.RecordType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmulatorRecordsTest {
  static ScrapyCloudEmulator emu;
  static TestHttp http;

  @BeforeAll
  static void start() {
    emu = ScrapyCloudEmulator.builder().apiKey("KEY").start();
    http = new TestHttp(emu, "KEY");
  }

  @AfterAll
  static void stop() {
    emu.close();
  }

  private static String newJob() {
    return emu.state().addJob(1, "spider", JobState.RUNNING, Map.of()).key();
  }

  private static String tenItems(int from) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < from + 10; i++) {
      sb.append("{\"id\": ").append(i).append(", \"data\": \"data").append(i).append("\"}\n");
    }
    return sb.toString();
  }

  @Test
  void writeThenReadWithKeyExactBytes() {
    String job = newJob();
    TestHttp.Reply w = http.post("items/" + job + "?start=0", TestHttp.gzip(tenItems(0)), "content-encoding", "gzip");
    assertEquals(200, w.code());
    assertEquals("text/plain; charset=UTF-8", w.contentType());
    assertEquals(0, w.body().length);
    TestHttp.Reply r = http.get("items/" + job + "?meta=_key&count=2", "Accept-Encoding", "gzip");
    assertEquals(200, r.code());
    assertEquals("application/x-jsonlines; charset=UTF-8", r.contentType());
    assertEquals("gzip", r.contentEncoding());
    assertEquals("{\"id\":0,\"data\":\"data0\",\"_key\":\"" + job + "/0\"}\n"
        + "{\"id\":1,\"data\":\"data1\",\"_key\":\"" + job + "/1\"}\n", r.text());
  }

  @Test
  void rePostingABatchIsIdempotent() {
    String job = newJob();
    http.post("items/" + job + "?start=0", tenItems(0));
    http.post("items/" + job + "?start=10", tenItems(10));
    http.post("items/" + job + "?start=10", tenItems(10));
    http.post("items/" + job + "?start=0", tenItems(0));
    assertEquals(20, http.get("items/" + job).jsonLines().size());
    Map<String, Object> stats = map(http.get("items/" + job + "/stats").json());
    assertEquals(Map.of("input_values", 20, "input_bytes", 10 * 16 + 10 * 17), stats.get("totals"));
    assertEquals(Map.of("id", 20, "data", 20), stats.get("counts"));
  }

  @Test
  void statsMatchRecordedFormula() {
    // test_writer_batchsize: 111 items {"x": i} -> input_bytes 444 (msgpack size), counts x=111
    String job = newJob();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 111; i++) {
      sb.append("{\"x\": ").append(i).append("}\n");
    }
    http.post("items/" + job + "?start=0", sb.toString());
    TestHttp.Reply r = http.get("items/" + job + "/stats");
    assertEquals("application/json; charset=UTF-8", r.contentType());
    assertEquals("{\"counts\":{\"x\":111},\"totals\":{\"input_bytes\":444,\"input_values\":111}}", r.text());
  }

  @Test
  void pagingStartStartafterCountIndexNodata() {
    String job = newJob();
    http.post("items/" + job + "?start=0", tenItems(0));
    List<Map<String, Object>> page = maps(http.get("items/" + job + "?meta=_key&start=" + job + "/3&count=3").jsonLines());
    assertEquals(List.of(3, 4, 5), page.stream().map(m -> m.get("id")).toList());
    page = maps(http.get("items/" + job + "?meta=_key&startafter=" + job + "/7").jsonLines());
    assertEquals(List.of(8, 9), page.stream().map(m -> m.get("id")).toList());
    page = maps(http.get("items/" + job + "?index=2&index=5").jsonLines());
    assertEquals(List.of(2, 5), page.stream().map(m -> m.get("id")).toList());
    page = maps(http.get("items/" + job + "?meta=_key&nodata=1&count=1").jsonLines());
    assertEquals(List.of(Map.of("_key", job + "/0")), page);
    Map<String, Object> one = map(http.get("items/" + job + "/4").json());
    assertEquals(Map.of("id", 4, "data", "data4"), one);
    assertEquals("\"data4\"", http.get("items/" + job + "/4/data").text());
  }

  @Test
  void filtersAndTimestamps() {
    String job = newJob();
    http.post("items/" + job + "?start=0", tenItems(0));
    List<Object> r = http.get("items/" + job + "?filter=" + enc("[\"id\", \">=\", [7]]")).jsonLines();
    assertEquals(3, r.size());
    r = http.get("items/" + job + "?filter=" + enc("[\"data\", \"=\", [\"data1\", \"data2\"]]")
        + "&filter=" + enc("[\"id\", \"<\", [2]]")).jsonLines();
    assertEquals(1, r.size());
    Map<String, Object> withTs = map(http.get("items/" + job + "?meta=_ts&count=1").jsonLines().get(0));
    assertTrue(((Number) withTs.get("_ts")).longValue() > 1_600_000_000_000L);
  }

  @Test
  void logsAreNormalisedAndFilteredByLevel() {
    String job = newJob();
    http.post("logs/" + job + "?start=0", TestHttp.gzip(
        "{\"message\": \"simple-msg1\", \"level\": 20, \"time\": 1556059752930}\n"
            + "{\"message\": \"error-msg\", \"level\": 40, \"time\": 1556059752931}\n"),
        "content-encoding", "gzip");
    TestHttp.Reply r = http.get("logs/" + job + "?meta=_key");
    assertEquals("{\"_key\":\"" + job + "/0\",\"time\":1556059752930,\"level\":20,\"message\":\"simple-msg1\"}\n"
        + "{\"_key\":\"" + job + "/1\",\"time\":1556059752931,\"level\":40,\"message\":\"error-msg\"}", r.text());
    List<Object> errors = http.get("logs/" + job + "?filter=" + enc("[\"level\", \">=\", [40]]") + "&meta=_key").jsonLines();
    assertEquals(1, errors.size());
    assertEquals("{\"counts\":{\"20\":1,\"40\":1},\"totals\":{\"input_bytes\":22,\"input_values\":2}}",
        http.get("logs/" + job + "/stats").text());
  }

  @Test
  void requestsDropNullsAndPutKeyFirst() {
    String job = newJob();
    http.post("requests/" + job + "?start=0",
        "{\"url\": \"http://test.com/\", \"status\": 200, \"method\": \"GET\", \"rs\": 1337, \"duration\": 5, "
            + "\"parent\": null, \"time\": 1476803148638, \"fp\": null}\n");
    assertEquals("{\"_key\":\"" + job + "/0\",\"time\":1476803148638,\"duration\":5,\"status\":200,\"method\":\"GET\","
        + "\"rs\":1337,\"url\":\"http://test.com/\"}", http.get("requests/" + job + "?meta=_key").text());
  }

  @Test
  void samplesHaveNoKey() {
    String job = newJob();
    http.post("samples/" + job + "?start=0", "[1476803148638, 1, 2, 3]\n[1476803148639, 5, 9, 4]\n", "content-encoding", "identity");
    assertEquals("[1476803148638,1,2,3]\n[1476803148639,5,9,4]", http.get("samples/" + job + "?meta=_key").text());
  }

  @Test
  void msgpackResponsesDecode() throws Exception {
    String job = newJob();
    http.post("items/" + job + "?start=0", tenItems(0));
    TestHttp.Reply r = http.get("items/" + job + "?meta=_key&count=2", "Accept", "application/x-msgpack");
    assertEquals("application/x-msgpack; charset=UTF-8", r.contentType());
    // Recorded bytes of the first record: 83 a2 'id' 00 a4 'data' a5 'data0' a4 '_key' ...
    assertEquals((byte) 0x83, r.body()[0]);
    assertEquals((byte) 0xa2, r.body()[1]);
    List<Object> docs = unpackAll(r.body());
    assertEquals(List.of(Map.of("id", 0, "data", "data0", "_key", job + "/0"),
        Map.of("id", 1, "data", "data1", "_key", job + "/1")), docs);
    // logs: _key omitted in msgpack, timestamps as uint64
    http.post("logs/" + job + "?start=0", "{\"message\": \"m\", \"level\": 20, \"time\": 1556059752930}\n");
    byte[] logs = http.get("logs/" + job + "?meta=_key", "Accept", "application/x-msgpack").body();
    assertEquals(List.of(Map.of("time", 1556059752930L, "level", 20, "message", "m")), unpackAll(logs));
    assertEquals((byte) 0x83, logs[0]);
    assertEquals((byte) 0xcf, logs[6]);
    // requests are never msgpack
    assertEquals("application/x-jsonlines; charset=UTF-8",
        http.get("requests/" + job, "Accept", "application/x-msgpack").contentType());
  }

  @Test
  void projectAndSpiderLevelReads() {
    String a = emu.state().addJob(77, "s1", JobState.FINISHED, Map.of()).key();
    String b = emu.state().addJob(77, "s1", JobState.FINISHED, Map.of()).key();
    emu.state().appendItems(a, List.of(Map.of("n", 1)));
    emu.state().appendItems(b, List.of(Map.of("n", 2), Map.of("n", 3)));
    List<Map<String, Object>> all = maps(http.get("items/77?meta=_key").jsonLines());
    assertEquals(List.of(a + "/0", b + "/0", b + "/1"), all.stream().map(m -> m.get("_key")).toList());
    assertEquals(1, http.get("items/77/1?count=1").jsonLines().size());
    assertEquals(List.of(3), maps(http.get("items/77?startafter=" + b + "/0").jsonLines()).stream().map(m -> m.get("n")).toList());
  }

  @Test
  void badBodiesAreRejected() {
    String job = newJob();
    TestHttp.Reply r = http.post("items/" + job + "?start=0", "{not json}\n");
    assertEquals(400, r.code());
    assertTrue(r.text().startsWith("Error parsing data"));
    String big = "{\"v\": \"" + "x".repeat(1024 * 1024) + "\"}\n";
    assertEquals(413, http.post("items/" + job + "?start=0", big).code());
    assertNull(emu.state().job(job).orElseThrow().get("nothing"));
    assertEquals(0, emu.state().stats(job, RecordType.ITEMS).inputValues());
  }

  @Test
  void missingJobReadsAreEmpty() {
    TestHttp.Reply r = http.get("items/1/99/99?meta=_key");
    assertEquals(200, r.code());
    assertEquals(0, r.body().length);
    assertEquals("{\"counts\":{},\"totals\":{\"input_bytes\":0,\"input_values\":0}}", http.get("items/1/99/99/stats").text());
  }

  /** Decodes concatenated msgpack documents the way the Python client's Unpacker does. */
  static List<Object> unpackAll(byte[] body) throws java.io.IOException {
    List<Object> out = new ArrayList<>();
    try (org.msgpack.core.MessageUnpacker u = org.msgpack.core.MessagePack.newDefaultUnpacker(body)) {
      while (u.hasNext()) {
        out.add(io.scrapinghubio.emulator.json.Json.parse(u.unpackValue().toJson()));
      }
    }
    return out;
  }

  static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }
}
