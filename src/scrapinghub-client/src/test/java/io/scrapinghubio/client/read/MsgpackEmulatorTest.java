package io.scrapinghubio.client.read;

import static io.scrapinghubio.client.testing.EmulatorClients.requests;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.client.core.JobKey;
import io.scrapinghubio.client.core.ReadFormat;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.collections.Collection;
import io.scrapinghubio.client.errors.NotFoundException;
import io.scrapinghubio.client.testing.EmulatorClients;
import io.scrapinghubio.client.write.BatchWriter;
import io.scrapinghubio.client.write.JobWriters;
import io.scrapinghubio.client.write.WriterOptions;
import io.scrapinghubio.emulator.log.LoggedRequest;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.fault.FaultKind;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * msgpack as an opt-in read format against the emulator: items, logs, samples and single-key
 * collection gets give the same records as JSON lines, also when pages fail or are cut.
 */
class MsgpackEmulatorTest {
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(EmulatorClients.KEY)
      .projects(2222222);
  static final AtomicInteger JOBS = new AtomicInteger(200);

  ScrapyCloudEmulator emu;
  ScrapinghubClient json;
  ScrapinghubClient mp;
  JobKey job;

  @BeforeEach
  void setUp() {
    emu = EMU.emulator();
    json = EmulatorClients.client(emu, ReadFormat.JSON_LINES);
    mp = EmulatorClients.client(emu, ReadFormat.MSGPACK);
    job = JobKey.parse("2222222/3/" + JOBS.incrementAndGet());
  }

  @AfterEach
  void tearDown() {
    json.close();
    mp.close();
  }

  private List<String> read(ScrapinghubClient c, JobDataType type, int pageSize) {
    List<String> out = new ArrayList<>();
    try (PagedReader r = c.getJob(job).data(type).reader(ReadSpec.all(job, type).withPageSize(pageSize))) {
      r.forEachRemaining(rec -> out.add(rec.index() + " " + rec.json()));
    }
    return out;
  }

  private void write(JobDataType type, int n) {
    BatchWriter<Object> w = json.getJob(job).writer(type, WriterOptions.defaults());
    for (int i = 0; i < n; i++) {
      if (type == JobDataType.SAMPLES) {
        w.write(List.of(1_700_000_000_000L + i, i, i * 2));
      } else if (type == JobDataType.LOGS) {
        w.write(JobWriters.logRecord(JobWriters.INFO + (i % 3) * 10, "log line é " + i));
      } else {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i);
        m.put("data", "data" + i);
        m.put("price", i * 0.25);
        m.put("big", 1L << 40);
        m.put("nested", Map.of("list", List.of(1.5, true, "é€"), "nil", "x"));
        m.put("none", null);
        w.write(m);
      }
    }
    w.close();
  }

  private List<LoggedRequest> gets(String type) {
    return requests(emu).stream().filter(r -> r.method().equals("GET") && r.path().startsWith("/" + type + "/")).toList();
  }

  @Test
  void itemsReadAsMsgpackEqualJsonLines() {
    write(JobDataType.ITEMS, 2500);
    List<String> a = read(json, JobDataType.ITEMS, 1000);
    emu.resetFaults();
    List<String> b = read(mp, JobDataType.ITEMS, 700);
    assertEquals(2500, a.size());
    assertEquals(a, b);
    // The msgpack read's pages (count=700). A speculative JSON page of the first read (count=1000)
    // may still land after the log was cleared: cancelling read-ahead does not recall a request.
    List<LoggedRequest> gets = gets("items").stream()
        .filter(r -> r.param("meta") != null && "700".equals(r.param("count"))).toList();
    assertTrue(gets.size() >= 4, "pages of 700: " + gets.size());
    assertTrue(gets.stream().allMatch(r -> "application/x-msgpack".equals(r.header("Accept"))), "msgpack asked for");
    assertTrue(gets.stream().anyMatch(r -> (job + "/700").equals(r.param("start"))), "paged by key as with JSON lines");
  }

  @Test
  void logsAndSamplesAsMsgpackEqualJsonLines() {
    write(JobDataType.LOGS, 1200);
    List<String> logs = read(mp, JobDataType.LOGS, 500);
    assertEquals(read(json, JobDataType.LOGS, 1000), logs);
    assertTrue(logs.get(1199).startsWith("1199 "));
    List<String> filtered = new ArrayList<>();
    mp.getJob(job).logs().iter(io.scrapinghubio.client.LogLevel.WARNING).forEach(r -> filtered.add(r.json()));
    List<String> filteredJson = new ArrayList<>();
    json.getJob(job).logs().iter(io.scrapinghubio.client.LogLevel.WARNING).forEach(r -> filteredJson.add(r.json()));
    assertEquals(800, filtered.size());
    assertEquals(filteredJson, filtered);
    write(JobDataType.SAMPLES, 30);
    emu.resetFaults();
    assertEquals(read(json, JobDataType.SAMPLES, 1000), read(mp, JobDataType.SAMPLES, 1000));
    assertTrue(gets("samples").stream().anyMatch(r -> "application/x-msgpack".equals(r.header("Accept"))));
  }

  @Test
  void requestsAreAlwaysReadAsJsonLines() {
    write(JobDataType.REQUESTS, 3);
    emu.resetFaults();
    assertEquals(read(json, JobDataType.REQUESTS, 1000), read(mp, JobDataType.REQUESTS, 1000));
    assertTrue(gets("requests").stream().noneMatch(r -> r.header("Accept").contains("msgpack")), "the service serves requests only as JSON");
  }

  @Test
  void msgpackReadsResumeUnderFaultsWithNothingLostOrRepeated() {
    write(JobDataType.ITEMS, 3000);
    List<String> expected = read(json, JobDataType.ITEMS, 1000);
    String items = "^/items/" + job + "$";
    emu.faults().rule().method("GET").path(items).status(503).rate(0.3);
    emu.faults().rule().method("GET").path(items).truncateAfter(500).times(3); // cut inside a msgpack value
    emu.faults().rule().method("GET").path(items).resetConnection().skip(2).times(1);
    List<String> got = read(mp, JobDataType.ITEMS, 250);
    assertEquals(expected, got);
    assertEquals(3, emu.faults().injectedCount(FaultKind.TRUNCATE));
    assertEquals(1, emu.faults().injectedCount(FaultKind.RESET));
    assertTrue(emu.faults().injectedCount(FaultKind.STATUS) > 0);
  }

  @Test
  void singleKeyCollectionGetAsMsgpack() {
    Collection jc = json.getProject(2222222).collections().getStore("mp_col");
    Collection mc = mp.getProject(2222222).collections().getStore("mp_col");
    jc.set(Map.of("_key", "k", "n", 7, "s", "é€", "l", List.of(1, 2.5, false), "m", Map.of("a", 1)));
    emu.resetFaults();
    assertEquals(jc.get("k"), mc.get("k"));
    assertThrows(NotFoundException.class, () -> mc.get("missing"));
    assertEquals("application/x-msgpack", requests(emu).stream().filter(r -> r.path().endsWith("/mp_col/k")).reduce((a, b) -> b)
        .orElseThrow().header("Accept"));
    emu.faults().rule().method("GET").path("/mp_col/k$").truncateAfter(10).times(1);
    emu.faults().rule().method("GET").path("/mp_col/k$").status(503).times(1);
    assertEquals(jc.get("k"), mc.get("k"), "retried whole after a cut or failed answer");
    assertEquals("k", mc.list(io.scrapinghubio.client.collections.ScanOptions.all()).get(0).node().get("_key").asText(),
        "scans stay JSON lines and keep _key");
  }

  @Test
  void decodesTheRecordedServiceBytes() {
    // test_items_iter.gz #2 body (msgpack maps: id, data, _key)
    byte[] body = HexFormat.of().parseHex("83a2696400a464617461a56461746130a45f6b6579af323232323232322f312f3238382f30"
        + "83a2696401a464617461a56461746131a45f6b6579af323232323232322f312f3238382f31");
    List<JobRecord> recs = MsgpackDecoder.decode(body, JobKey.parse("2222222/1/288"), true, false, 0);
    assertEquals(2, recs.size());
    assertEquals("{\"id\":1,\"data\":\"data1\"}", recs.get(1).json());
    assertEquals(1, recs.get(1).index());
    List<byte[]> raw = MsgpackDecoder.toJson(body);
    assertEquals("{\"id\":0,\"data\":\"data0\",\"_key\":\"2222222/1/288/0\"}", new String(raw.get(0), StandardCharsets.UTF_8));
  }
}
