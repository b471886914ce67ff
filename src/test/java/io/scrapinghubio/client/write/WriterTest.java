package io.scrapinghubio.client.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.JobKey;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.errors.ValueTooLargeException;
import io.scrapinghubio.client.read.JobDataType;
import io.scrapinghubio.client.testing.FakeStorage;
import io.scrapinghubio.client.testing.FakeStorage.Fault;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WriterTest {
  static final JobKey JOB = JobKey.parse("2222222/1/115");
  FakeStorage fs;
  ScrapinghubClient client;

  @BeforeEach
  void setUp() throws Exception {
    fs = new FakeStorage();
    client = fs.client();
  }

  @AfterEach
  void tearDown() {
    client.close();
    fs.close();
  }

  private List<Integer> storedX(String type) {
    List<Integer> xs = new ArrayList<>();
    for (JsonNode n : fs.records(type, JOB.toString())) {
      xs.add(n.get("x").asInt());
    }
    return xs;
  }

  private static List<Integer> range(int n) {
    List<Integer> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(i);
    }
    return l;
  }

  @Test
  void batchesByRecordCountWithStartOffsets() {
    BatchWriter<Object> w = JobWriters.of(client, JOB, JobDataType.ITEMS, WriterOptions.defaults().withMaxRecords(10));
    for (int i = 0; i < 111; i++) {
      w.write(Map.of("x", i));
    }
    WriteReport r = w.close();
    assertEquals(111, r.records());
    assertEquals(12, r.batches());
    assertEquals(range(111), storedX("items"));
    List<String> posts = fs.requests().stream().filter(s -> s.startsWith("POST")).toList();
    assertEquals("POST /items/2222222/1/115?start=0", posts.get(0));
    assertEquals("POST /items/2222222/1/115?start=110", posts.get(11));
  }

  @Test
  void batchesByBytes() {
    // each record ~ 20 bytes; a 2 KiB + 1 MiB cap is dominated by the record cap, so use a small record cap
    WriterOptions o = new WriterOptions(1000, 200, 100, 0);
    BatchWriter<Object> w = JobWriters.of(client, JOB, JobDataType.ITEMS, o);
    for (int i = 0; i < 100; i++) {
      w.write(Map.of("x", i, "pad", "abcdefghij"));
    }
    WriteReport r = w.flush();
    assertEquals(100, r.records());
    assertTrue(r.batches() >= 100 * 30 / 200, "batches: " + r.batches());
    assertEquals(range(100), storedX("items"));
    assertTrue(r.bytes() > 0);
  }

  @Test
  void oversizedRecordIsRejectedByNameAndDoesNotTakeTheBatchDown() {
    BatchWriter<Object> w = JobWriters.items(client, JOB);
    w.write(Map.of("x", 0));
    ValueTooLargeException e = assertThrows(ValueTooLargeException.class, () -> w.write(Map.of("x", 1, "v", "é".repeat(600_000))));
    assertTrue(e.getMessage().contains("item 2222222/1/115/1"), e.getMessage());
    w.write(Map.of("x", 1));
    assertEquals(2, w.close().records());
    assertEquals(range(2), storedX("items"));
  }

  @Test
  void faultsDuringUploadNeitherLoseNorDuplicate() {
    fs.fault("POST /items/2222222/1/115\\?start=0", Fault.STATUS_503, 3)
        .fault("POST /items/2222222/1/115\\?start=250", Fault.PROCESS_THEN_503, 2)
        .fault("POST /items/2222222/1/115\\?start=500", Fault.RESET, 1)
        .fault("POST /items/2222222/1/115\\?start=750", Fault.STATUS_429, 2);
    BatchWriter<Object> w = JobWriters.of(client, JOB, JobDataType.ITEMS, WriterOptions.defaults().withMaxRecords(250));
    for (int i = 0; i < 1000; i++) {
      w.write(Map.of("x", i));
    }
    WriteReport r = w.close();
    assertEquals(1000, r.records());
    assertEquals(4, r.batches());
    assertEquals(range(1000), storedX("items"));
    // read back through the client's paged reader too
    List<Integer> read = new ArrayList<>();
    try (var reader = new io.scrapinghubio.client.read.PagedReader(client.transport(),
        io.scrapinghubio.client.read.ReadSpec.all(JOB, JobDataType.ITEMS).withPageSize(300), client.ioExecutor(), null)) {
      reader.forEachRemaining(rec -> read.add(io.scrapinghubio.client.json.Json.parse(rec.jsonBytes()).get("x").asInt()));
    }
    assertEquals(range(1000), read);
  }

  @Test
  void exhaustedRetriesKeepRecordsUntilAFlushSucceeds() {
    fs.fault("POST /items/2222222/1/115\\?start=10", Fault.STATUS_503, 5); // = every attempt of the policy
    BatchWriter<Object> w = JobWriters.of(client, JOB, JobDataType.ITEMS, WriterOptions.defaults().withMaxRecords(10));
    for (int i = 0; i < 15; i++) {
      w.write(Map.of("x", i));
    }
    BatchUploadException e = assertThrows(BatchUploadException.class, w::flush);
    assertEquals(5, e.pendingRecords());
    assertEquals(503, e.status());
    assertEquals(List.of("{\"x\":10}", "{\"x\":11}", "{\"x\":12}", "{\"x\":13}", "{\"x\":14}"), w.pending());
    assertEquals(range(10), storedX("items"));
    assertEquals(5, w.report().pendingRecords());
    // the fault is spent: the same batch (same start) now succeeds
    WriteReport r = w.close();
    assertEquals(15, r.records());
    assertEquals(0, r.pendingRecords());
    assertEquals(range(15), storedX("items"));
    assertEquals(6, fs.requests().stream().filter(s -> s.equals("POST /items/2222222/1/115?start=10")).count());
  }

  @Test
  void failedBatchIsResentWithTheSameStartAndLaterBatchesWait() {
    fs.fault("POST /items/2222222/1/115\\?start=10", Fault.STATUS_503, 5);
    BatchWriter<Object> w = JobWriters.of(client, JOB, JobDataType.ITEMS, WriterOptions.defaults().withMaxRecords(10));
    for (int i = 0; i < 19; i++) {
      w.write(Map.of("x", i));
    }
    BatchUploadException e = assertThrows(BatchUploadException.class, () -> w.write(Map.of("x", 19)));
    assertEquals(10, e.pendingRecords(), "record 19 was accepted with its batch");
    for (int i = 20; i < 25; i++) {
      w.write(Map.of("x", i)); // open batch, nothing sealed to upload yet
    }
    WriteReport r = w.close();
    assertEquals(25, r.records());
    assertEquals(range(25), storedX("items"));
    assertEquals(1, fs.requests().stream().filter(s -> s.equals("POST /items/2222222/1/115?start=20")).count());
  }

  @Test
  void discardPendingHandsBackRecordsAndReusesOffsets() {
    fs.fault("POST /items/2222222/1/115\\?start=5", Fault.STATUS_503, 5);
    BatchWriter<Object> w = JobWriters.of(client, JOB, JobDataType.ITEMS, WriterOptions.defaults().withMaxRecords(5));
    for (int i = 0; i < 9; i++) {
      w.write(Map.of("x", i));
    }
    assertThrows(BatchUploadException.class, w::flush);
    List<String> dead = w.discardPending();
    assertEquals(List.of("{\"x\":5}", "{\"x\":6}", "{\"x\":7}", "{\"x\":8}"), dead);
    w.write(Map.of("x", 5));
    w.close();
    assertEquals(range(6), storedX("items"));
  }

  @Test
  void concurrentWritersLoseNothing() throws Exception {
    fs.fault("POST /items/.*", Fault.PROCESS_THEN_503, 3);
    BatchWriter<Object> w = JobWriters.of(client, JOB, JobDataType.ITEMS, WriterOptions.defaults().withMaxRecords(100));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> fs2 = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int base = t * 1000;
      fs2.add(pool.submit(() -> {
        for (int i = 0; i < 1000; i++) {
          w.write(Map.of("x", base + i));
        }
      }));
    }
    for (Future<?> f : fs2) {
      f.get();
    }
    pool.shutdown();
    assertEquals(4000, w.close().records());
    List<Integer> xs = storedX("items");
    assertEquals(4000, xs.size());
    Set<Integer> unique = new HashSet<>(xs);
    assertEquals(4000, unique.size());
    assertEquals(new HashSet<>(range(4000)), unique);
  }

  @Test
  void perTargetEncodingAndEndpoints() {
    for (JobDataType t : JobDataType.values()) {
      BatchWriter<Object> w = JobWriters.of(client, JOB, t, WriterOptions.defaults());
      w.write(t == JobDataType.SAMPLES ? List.of(1, 2, 3) : Map.of("x", 1));
      w.write(RawJson.of(t == JobDataType.SAMPLES ? "[4,5,6]" : "{\"x\":2}"));
      assertEquals(2, w.close().records());
      assertEquals(2, fs.records(t.path(), JOB.toString()).size());
      assertEquals(t != JobDataType.SAMPLES, w.target().gzip(), t + " encoding");
    }
    assertEquals(0, JobWriters.logs(client, JOB).flush().batches(), "an empty flush sends nothing");
    Map<String, Object> log = JobWriters.logRecord(JobWriters.INFO, "hello");
    assertEquals(20, log.get("level"));
  }

  @Test
  void uploaderSendsAPreparedBatch() {
    BatchUploader up = JobWriters.uploader(client, JOB, JobDataType.ITEMS);
    UploadResult r = up.upload(Batch.ofStrings(0, List.of("{\"x\":0}", "{\"x\":1}")));
    assertEquals(2, r.records());
    assertEquals(16, r.bytes());
    assertTrue(r.wireBytes() > 0);
    up.upload(Batch.ofStrings(0, List.of("{\"x\":0}", "{\"x\":1}"))); // re-sent: same positions
    assertEquals(range(2), storedX("items"));
  }
}
