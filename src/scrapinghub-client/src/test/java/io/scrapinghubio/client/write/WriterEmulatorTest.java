package io.scrapinghubio.client.write;

import static io.scrapinghubio.client.testing.EmulatorClients.line;
import static io.scrapinghubio.client.testing.EmulatorClients.requests;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.core.JobKey;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.errors.ValueTooLargeException;
import io.scrapinghubio.client.json.Json;
import io.scrapinghubio.client.read.JobDataType;
import io.scrapinghubio.client.read.JobRecord;
import io.scrapinghubio.client.testing.EmulatorClients;
import io.scrapinghubio.emulator.log.LoggedRequest;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.fault.FaultKind;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Batch writers for items, logs, requests and samples end to end against the emulator: what is
 * written is read back exactly, also under injected faults (no record lost, none written twice).
 * Collection and frontier writers are covered by {@code CollectionsEmulatorTest} and
 * {@code FrontierEmulatorTest}. Every test writes to its own job.
 */
class WriterEmulatorTest {
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(EmulatorClients.KEY)
      .projects(2222222);
  static final AtomicInteger JOBS = new AtomicInteger(100);

  ScrapyCloudEmulator emu;
  ScrapinghubClient client;
  JobKey job;

  @BeforeEach
  void setUp() {
    emu = EMU.emulator();
    client = EmulatorClients.client(emu);
    job = JobKey.parse("2222222/1/" + JOBS.incrementAndGet());
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  private List<JsonNode> readBack(JobDataType type) {
    List<JsonNode> out = new ArrayList<>();
    for (JobRecord r : client.getJob(job).data(type).iter()) {
      out.add(Json.parse(r.jsonBytes()));
    }
    return out;
  }

  private List<Integer> xs() {
    List<Integer> out = new ArrayList<>();
    readBack(JobDataType.ITEMS).forEach(n -> out.add(n.get("x").asInt()));
    return out;
  }

  private static List<Integer> range(int n) {
    List<Integer> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(i);
    }
    return l;
  }

  private List<LoggedRequest> posts() {
    return requests(emu).stream().filter(r -> r.method().equals("POST")).toList();
  }

  @Test
  void everyJobDataTypeIsReadBackExactly() {
    List<Object> items = new ArrayList<>();
    for (int i = 0; i < 1234; i++) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("x", i);
      m.put("name", "naïve €" + i);
      m.put("nested", Map.of("list", List.of(1.5, true, "é"), "n", i));
      items.add(m);
    }
    List<Object> logs = new ArrayList<>();
    for (int i = 0; i < 345; i++) {
      logs.add(JobWriters.logRecord(i % 5 == 0 ? JobWriters.ERROR : JobWriters.INFO, "line " + i));
    }
    List<Object> reqs = new ArrayList<>();
    for (int i = 0; i < 210; i++) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("url", "https://example.com/" + i);
      m.put("status", 200);
      m.put("method", "GET");
      m.put("rs", 1000 + i);
      m.put("duration", 12);
      m.put("time", 1_700_000_000_000L + i);
      m.put("parent", i == 0 ? null : i - 1);
      m.put("fp", i % 2 == 0 ? null : "fp" + i);
      reqs.add(m);
    }
    List<Object> samples = new ArrayList<>();
    for (int i = 0; i < 55; i++) {
      samples.add(List.of(1_700_000_000_000L + i, i, i * 2));
    }
    Map<JobDataType, List<Object>> all = Map.of(JobDataType.ITEMS, items, JobDataType.LOGS, logs, JobDataType.REQUESTS, reqs,
        JobDataType.SAMPLES, samples);
    for (Map.Entry<JobDataType, List<Object>> e : all.entrySet()) {
      BatchWriter<Object> w = client.getJob(job).writer(e.getKey(), WriterOptions.defaults());
      e.getValue().forEach(w::write);
      WriteReport r = w.close();
      assertEquals(e.getValue().size(), r.records(), e.getKey().toString());
      assertEquals((e.getValue().size() + 999) / 1000, r.batches());
      List<JsonNode> expected = new ArrayList<>();
      for (Object o : e.getValue()) {
        JsonNode n = Json.MAPPER.valueToTree(o);
        if (n.isObject()) {
          // the service drops null fields of stored records (requests' parent/fp)
          List<String> nulls = new ArrayList<>();
          n.fields().forEachRemaining(f -> {
            if (f.getValue().isNull()) {
              nulls.add(f.getKey());
            }
          });
          nulls.forEach(((com.fasterxml.jackson.databind.node.ObjectNode) n)::remove);
        }
        expected.add(n);
      }
      assertEquals(expected, readBack(e.getKey()), e.getKey() + " read back");
      assertEquals(e.getValue().size(), client.getJob(job).data(e.getKey()).count());
    }
    for (LoggedRequest p : posts()) {
      boolean samplesPost = p.path().startsWith("/samples/");
      assertEquals(samplesPost ? "identity" : "gzip", p.header("content-encoding"), line(p));
      assertTrue(p.param("start") != null, line(p));
    }
    assertEquals(List.of("0", "1000"), posts().stream().filter(p -> p.path().startsWith("/items/")).map(p -> p.param("start")).toList());
  }

  @Test
  void batchesByCountAndBytesWithStartOffsets() {
    BatchWriter<Object> w = client.getJob(job).writer(JobDataType.ITEMS, WriterOptions.defaults().withMaxRecords(10));
    for (int i = 0; i < 111; i++) {
      w.write(Map.of("x", i));
    }
    WriteReport r = w.close();
    assertEquals(111, r.records());
    assertEquals(12, r.batches());
    assertEquals(range(111), xs());
    List<LoggedRequest> posts = posts();
    assertEquals("POST /items/" + job + "?start=0", line(posts.get(0)));
    assertEquals("POST /items/" + job + "?start=110", line(posts.get(11)));

    JobKey byBytes = JobKey.parse(job.project() + "/2/" + job.job());
    BatchWriter<Object> b = client.getJob(byBytes).writer(JobDataType.ITEMS, new WriterOptions(1000, 200, 100, 0));
    for (int i = 0; i < 100; i++) {
      b.write(Map.of("x", i, "pad", "abcdefghij")); // ~25 bytes a line: 7 lines per 200-byte batch
    }
    WriteReport rb = b.flush();
    assertEquals(100, rb.records());
    assertEquals(15, rb.batches());
    assertEquals(100, client.getJob(byBytes).items().count());
  }

  @Test
  void appendingStartsAtTheCurrentCount() {
    BatchWriter<Object> w = client.getJob(job).writer(JobDataType.ITEMS, WriterOptions.defaults());
    for (int i = 0; i < 5; i++) {
      w.write(Map.of("x", i));
    }
    w.close();
    long have = client.getJob(job).items().count();
    BatchWriter<Object> more = client.getJob(job).writer(JobDataType.ITEMS, WriterOptions.defaults().withStartOffset(have));
    for (int i = 5; i < 8; i++) {
      more.write(Map.of("x", i));
    }
    more.close();
    assertEquals(range(8), xs());
  }

  @Test
  void oversizedRecordIsRejectedByNameBeforeUploadAndDoesNotTakeTheBatchDown() {
    BatchWriter<Object> w = client.getJob(job).writer(JobDataType.ITEMS, WriterOptions.defaults());
    w.write(Map.of("x", 0));
    // 600k two-byte chars: 1.2 MB in UTF-8 though only 600k chars
    ValueTooLargeException e = assertThrows(ValueTooLargeException.class, () -> w.write(Map.of("x", 1, "v", "é".repeat(600_000))));
    assertTrue(e.getMessage().contains("item " + job + "/1"), e.getMessage());
    assertEquals(List.of(), requests(emu), "rejected before any upload");
    w.write(Map.of("x", 1));
    assertEquals(2, w.close().records());
    assertEquals(range(2), xs());
    BatchWriter<Object> logs = client.getJob(job).writer(JobDataType.LOGS, WriterOptions.defaults());
    ValueTooLargeException le = assertThrows(ValueTooLargeException.class,
        () -> logs.write(JobWriters.logRecord(JobWriters.INFO, "x".repeat(1 << 20))));
    assertTrue(le.getMessage().contains("log " + job + "/0"), le.getMessage());
  }

  @Test
  void faultsDuringUploadNeitherLoseNorDuplicate() {
    String items = "^/items/" + job + "$";
    emu.faults().failNext(3, 503, "POST", items);
    emu.faults().loseAckNext(2, "POST", items); // written, then the answer is lost: the retry re-sends the same start
    emu.faults().rule().method("POST").path(items).resetConnection().skip(3).times(1);
    emu.faults().rule().method("POST").path(items).status(429).retryAfter(0).skip(4).times(1);
    emu.faults().rule().method("POST").path(items).status(503).rate(0.2);
    emu.faults().rule().method("GET").path(items).truncateAfter(2000).times(3);
    emu.faults().rule().method("GET").path(items).status(502).rate(0.2);
    BatchWriter<Object> w = client.getJob(job).writer(JobDataType.ITEMS, WriterOptions.defaults().withMaxRecords(250));
    for (int i = 0; i < 3000; i++) {
      w.write(Map.of("x", i));
    }
    WriteReport r = w.close();
    assertEquals(3000, r.records());
    assertEquals(12, r.batches());
    assertEquals(range(3000), xs(), "read back exactly, in order, through truncated and failed pages");
    assertEquals(3000, client.getJob(job).items().count(), "none stored twice");
    assertEquals(2, emu.faults().injectedCount(FaultKind.RESET_AFTER_HANDLING));
    assertEquals(1, emu.faults().injectedCount(FaultKind.RESET));
    assertTrue(emu.faults().injectedCount(FaultKind.TRUNCATE) >= 1);
    // 3 × 503 and a 429 on the uploads; the read-back is two streamed requests, so its 502s are by chance
    assertTrue(emu.faults().injectedCount(FaultKind.STATUS) >= 4);
  }

  @Test
  void exhaustedRetriesKeepRecordsUntilAFlushSucceeds() {
    emu.faults().rule().method("POST").path("^/items/" + job + "$").status(503).retryAfter(0).skip(1)
        .times(EmulatorClients.ATTEMPTS);
    BatchWriter<Object> w = client.getJob(job).writer(JobDataType.ITEMS, WriterOptions.defaults().withMaxRecords(10));
    for (int i = 0; i < 15; i++) {
      w.write(Map.of("x", i));
    }
    BatchUploadException e = assertThrows(BatchUploadException.class, w::flush,
        () -> posts().stream().map(p -> line(p) + " " + p.status()).toList().toString());
    assertEquals(5, e.pendingRecords());
    assertEquals(503, e.status());
    assertEquals(List.of("{\"x\":10}", "{\"x\":11}", "{\"x\":12}", "{\"x\":13}", "{\"x\":14}"), w.pending());
    assertEquals(range(10), xs());
    WriteReport r = w.close(); // the fault is spent: the same batch (same start) now succeeds
    assertEquals(15, r.records());
    assertEquals(0, r.pendingRecords());
    assertEquals(range(15), xs());
    assertEquals(EmulatorClients.ATTEMPTS + 1, posts().stream().filter(p -> "10".equals(p.param("start"))).count());
  }

  @Test
  void failedBatchBlocksLaterBatchesAndDiscardPendingReusesOffsets() {
    emu.faults().rule().method("POST").path("^/items/" + job + "$").status(500).skip(1).times(EmulatorClients.ATTEMPTS);
    BatchWriter<Object> w = client.getJob(job).writer(JobDataType.ITEMS, WriterOptions.defaults().withMaxRecords(5));
    for (int i = 0; i < 9; i++) {
      w.write(Map.of("x", i));
    }
    BatchUploadException e = assertThrows(BatchUploadException.class, () -> w.write(Map.of("x", 9)));
    assertEquals(5, e.pendingRecords(), "record 9 was accepted with its batch");
    List<String> dead = w.discardPending();
    assertEquals(List.of("{\"x\":5}", "{\"x\":6}", "{\"x\":7}", "{\"x\":8}", "{\"x\":9}"), dead);
    w.write(Map.of("x", 5));
    w.close();
    assertEquals(range(6), xs());
    assertEquals(List.of("0", "5"), posts().stream().filter(p -> p.status() == 200).map(p -> p.param("start")).toList());
  }

  @Test
  void concurrentWritersUnderFaultsLoseNothing() throws Exception {
    String items = "^/items/" + job + "$";
    emu.faults().loseAckNext(3, "POST", items);
    emu.faults().rule().method("POST").path(items).status(503).rate(0.2);
    BatchWriter<Object> w = client.getJob(job).writer(JobDataType.ITEMS, WriterOptions.defaults().withMaxRecords(100));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> fs = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int base = t * 1000;
      fs.add(pool.submit(() -> {
        for (int i = 0; i < 1000; i++) {
          w.write(Map.of("x", base + i));
        }
      }));
    }
    for (Future<?> f : fs) {
      f.get();
    }
    pool.shutdown();
    assertEquals(4000, w.close().records());
    List<Integer> xs = xs();
    assertEquals(4000, xs.size());
    assertEquals(new HashSet<>(range(4000)), new HashSet<>(xs));
  }

  @Test
  void uploaderSendsAPreparedBatchAndAResendIsIdempotent() {
    BatchUploader up = client.getJob(job).uploader(JobDataType.ITEMS);
    UploadResult r = up.upload(Batch.ofStrings(0, List.of("{\"x\":0}", "{\"x\":1}")));
    assertEquals(2, r.records());
    assertEquals(16, r.bytes());
    assertTrue(r.wireBytes() > 0);
    up.upload(Batch.ofStrings(0, List.of("{\"x\":0}", "{\"x\":1}"))); // re-sent: same positions
    up.upload(Batch.ofStrings(2, List.of("{\"x\":2}")));
    assertEquals(range(3), xs());
    assertEquals(0, client.getJob(job).writer(JobDataType.LOGS, WriterOptions.defaults()).flush().batches(), "an empty flush sends nothing");
    BatchWriter<Object> raw = client.getJob(job).writer(JobDataType.SAMPLES, WriterOptions.defaults());
    raw.write(RawJson.of("[1,2,3]"));
    assertEquals(1, raw.close().records());
    assertEquals("[1,2,3]", readBack(JobDataType.SAMPLES).get(0).toString());
  }
}
