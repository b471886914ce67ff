package io.scrapinghubio.client.collections;

import static io.scrapinghubio.client.testing.EmulatorClients.line;
import static io.scrapinghubio.client.testing.EmulatorClients.requests;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.core.ReadFormat;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.TransportForTests;
import io.scrapinghubio.client.errors.BadRequestException;
import io.scrapinghubio.client.errors.NotFoundException;
import io.scrapinghubio.client.errors.ValueTooLargeException;
import io.scrapinghubio.client.http.CallOptions;
import io.scrapinghubio.client.http.HttpTransport;
import io.scrapinghubio.client.testing.EmulatorClients;
import io.scrapinghubio.client.write.Batch;
import io.scrapinghubio.client.write.BatchUploader;
import io.scrapinghubio.client.write.BatchWriter;
import io.scrapinghubio.client.write.RawJson;
import io.scrapinghubio.client.write.RecordRejectedException;
import io.scrapinghubio.client.write.RecordRejectedException.Reason;
import io.scrapinghubio.client.write.UploadResult;
import io.scrapinghubio.client.write.WriteReport;
import io.scrapinghubio.client.write.WriterOptions;
import io.scrapinghubio.emulator.log.LoggedRequest;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.fault.FaultKind;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Collections end to end against the emulator: every store type, scans, counts, deletes, bad input and faults. */
class CollectionsEmulatorTest {
  static final long P = 2222222;

  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(EmulatorClients.KEY)
      .projects(P);

  ScrapyCloudEmulator emu;
  ScrapinghubClient client;
  Collections cols;

  @BeforeEach
  void setUp() {
    emu = EMU.emulator();
    client = EmulatorClients.client(emu);
    cols = client.getProject(P).collections();
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  static Map<String, Object> rec(String key, int counter) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("_key", key);
    m.put("counter", counter);
    m.put("field2", List.of("value2a", "value2b"));
    m.put("field4", Map.of("v4k", "v4v"));
    return m;
  }

  static List<Object> recs(String prefix, int n) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(rec(String.format("%s%05d", prefix, i), i));
    }
    return out;
  }

  @Test
  void everyStoreTypeSetsGetsDeletesAndIsListed() {
    for (StoreType t : StoreType.values()) {
      Collection c = cols.get(t, "types_" + t.code());
      c.set(rec("one", 1));
      c.set(List.of(rec("two", 2), rec("three", 3)));
      JsonNode v = c.get("two");
      assertEquals(2, v.get("counter").asInt(), t.code());
      assertEquals("v4v", v.get("field4").get("v4k").asText());
      assertFalse(v.has("_key"), "get() returns the value without _key");
      assertEquals(v, c.get("two", ReadFormat.MSGPACK), "msgpack get decodes to the same JSON");
      assertThrows(NotFoundException.class, () -> c.get("missing"));
      assertThrows(NotFoundException.class, () -> c.get("missing", ReadFormat.MSGPACK));
      assertTrue(c.exists("one"));
      c.set(rec("one", 11)); // same key replaces
      assertEquals(11, c.get("one").get("counter").asInt());
      assertEquals(3, c.count());
      c.delete("one");
      assertFalse(c.exists("one"));
      c.delete(List.of("two", "three", "never_there"));
      assertEquals(0, c.count());
      assertEquals(List.of(), c.list(ScanOptions.all()));
    }
    List<CollectionInfo> listed = cols.list();
    for (StoreType t : StoreType.values()) {
      assertTrue(listed.contains(new CollectionInfo(t, "types_" + t.code())), listed + " lacks " + t);
    }
    assertTrue(requests(emu).stream().anyMatch(r -> line(r).equals("POST /collections/2222222/vcs/types_vcs/deleted")));
  }

  @Test
  void setInChunksAndCountFollowsNextstartBeyondTenThousand() {
    Collection c = cols.getStore("big_count");
    c.set(recs("k", 25_000)); // 25 requests of 1000
    emu.resetFaults();
    assertEquals(25_000, c.count());
    List<LoggedRequest> counts = requests(emu).stream().filter(r -> r.path().endsWith("/count")).toList();
    assertEquals(3, counts.size(), "the emulator counts 10,000 per call and answers nextstart");
    assertNull(counts.get(0).param("start"));
    assertEquals("k10000", counts.get(1).param("start"));
    assertEquals("k20000", counts.get(2).param("start"));
    // a selection counted across nextstart too
    assertEquals(10_000, c.count(ScanOptions.all().prefix("k1")));
    assertEquals(2, c.count(ScanOptions.all().key("k00007", "k24999", "nope")));
    assertEquals(25_000, c.list(ScanOptions.all().pageSize(7000)).size());
    assertEquals(List.of("k00000", "k00001"), c.list(ScanOptions.all().count(2)).stream().map(CollectionRecord::key).toList());
  }

  @Test
  void scanSelectionsInKeyOrder() {
    AtomicLong clock = new AtomicLong(1_000_000L);
    emu.state().clock(clock::get);
    try {
      Collection c = cols.getStore("scan_sel");
      List<Object> early = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        early.add(rec("post_scan_test" + i, i));
      }
      c.set(early);
      clock.set(2_000_000L);
      c.set(List.of(rec("late_a", 100), rec("late_b", 101)));

      assertEquals(11, c.list(ScanOptions.all().prefix("post_scan_test1")).size());
      assertEquals(2, c.list(ScanOptions.all().prefix("post_scan_test1").prefixcount(2)).size());
      assertEquals(4, c.list(ScanOptions.all().prefix("post_scan_test1", "late_").prefixcount(2)).size());
      // "late_a" < "post_scan_test0" < "post_scan_test1" < "post_scan_test10" ...
      assertEquals(19, c.list(ScanOptions.all().start("post_scan_test1")).size());
      assertEquals(18, c.list(ScanOptions.all().startafter("post_scan_test1")).size());
      assertEquals(3, c.list(ScanOptions.all().count(3).pageSize(2)).size());
      List<CollectionRecord> two = c.list(ScanOptions.all().key("post_scan_test7", "post_scan_test3"));
      assertEquals(List.of("post_scan_test3", "post_scan_test7"), two.stream().map(CollectionRecord::key).toList(), "key order");
      assertEquals(7, two.get(1).node().get("counter").asInt());
      assertEquals("post_scan_test7", two.get(1).node().get("_key").asText(), "scans keep _key (meta=_key)");
      assertEquals(List.of("late_a", "late_b"),
          c.list(ScanOptions.all().startts(1_500_000L)).stream().map(CollectionRecord::key).toList());
      assertEquals(20, c.list(ScanOptions.all().endts(1_500_000L)).size());
      assertEquals(2, c.count(ScanOptions.all().startts(2_000_000L).endts(2_000_001L)));
      assertEquals(List.of("post_scan_test5"),
          c.list(ScanOptions.all().filter("[\"counter\", \"=\", [5]]")).stream().map(CollectionRecord::key).toList());
      // everything, in strictly increasing key order, through small pages
      List<String> keys = c.list(ScanOptions.all().pageSize(3)).stream().map(CollectionRecord::key).toList();
      assertEquals(22, keys.size());
      for (int i = 1; i < keys.size(); i++) {
        assertTrue(keys.get(i - 1).compareTo(keys.get(i)) < 0, keys.toString());
      }
      LoggedRequest scan = requests(emu).stream().filter(r -> r.method().equals("GET") && r.param("prefixcount") != null)
          .findFirst().orElseThrow();
      assertEquals(List.of("_key"), scan.query().get("meta"));
      assertFalse(scan.header("Accept").contains("msgpack"), "scans are always JSON lines: " + scan.header("Accept"));
    } finally {
      emu.state().clock(System::currentTimeMillis);
    }
  }

  @Test
  void truncateRemovesTheCollection() {
    Collection c = cols.getStore("to_truncate");
    c.set(recs("my_key_", 2500));
    assertEquals(2500, c.count());
    c.truncate();
    assertEquals(0, c.count());
    assertEquals(List.of(), c.list(ScanOptions.all()));
    assertFalse(cols.list().contains(new CollectionInfo(StoreType.STORE, "to_truncate")));
    LoggedRequest t = requests(emu).stream().filter(r -> r.path().equals("/collections/2222222/delete")).findFirst().orElseThrow();
    assertEquals("to_truncate", t.param("name"));
    assertEquals(202, t.status());
  }

  @Test
  void badInputIsRejectedBeforeAnyRequest() {
    emu.resetFaults();
    assertThrows(IllegalArgumentException.class, () -> cols.getStore("bad-name"));
    assertThrows(IllegalArgumentException.class, () -> cols.getStore("with space"));
    assertThrows(IllegalArgumentException.class, () -> cols.getStore(""));
    assertThrows(IllegalArgumentException.class, () -> cols.getVersionedStore("a/b"));
    Collection c = cols.getStore("bad_input");
    BadRequestException noKey = assertThrows(BadRequestException.class, () -> c.set(Map.of("foo", 42)));
    assertTrue(noKey.getMessage().contains("_key"), noKey.getMessage());
    assertThrows(BadRequestException.class, () -> c.set(List.of(rec("a", 1), Map.of("foo", 1))), "one bad record: nothing is sent");
    assertThrows(BadRequestException.class, () -> c.set(Map.of("_key", "", "foo", 1)));
    ValueTooLargeException big = assertThrows(ValueTooLargeException.class,
        () -> c.set(List.of(rec("a", 1), Map.of("_key", "large_test", "value", "x".repeat(1024 * 1024)))));
    assertTrue(big.getMessage().contains("large_test"), big.getMessage());
    // 1 MiB counted in UTF-8 bytes: 400k three-byte chars are 1.2 MB though only 400k chars
    ValueTooLargeException utf8 = assertThrows(ValueTooLargeException.class,
        () -> c.set(Map.of("_key", "utf8", "v", "€".repeat(400_000))));
    assertTrue(utf8.getMessage().contains("utf8"), utf8.getMessage());
    BatchWriter<Object> w = c.writer();
    assertThrows(BadRequestException.class, () -> w.write(Map.of("nokey", 1)));
    assertThrows(ValueTooLargeException.class, () -> w.write(Map.of("_key", "huge", "v", "€".repeat(400_000))));
    assertThrows(IllegalArgumentException.class, () -> c.get(""));
    assertEquals(0, w.report().pendingRecords());
    assertEquals(List.of(), requests(emu), "the client rejected all of that before sending anything");
    assertEquals(0, c.count());
  }

  @Test
  void theServiceAnswersBadRecordsWithTheRecordedErrors() {
    // What the client's checks prevent, sent raw: the emulator answers as the service does and the
    // client maps the answers to its typed errors.
    HttpTransport transport = TransportForTests.of(client);
    var url = transport.storage("collections", Long.toString(P), "s", "raw_errors").build();
    BadRequestException noKey = assertThrows(BadRequestException.class,
        () -> transport.post(url, "{\"foo\": 42}".getBytes(StandardCharsets.UTF_8), null, CallOptions.IDEMPOTENT));
    assertTrue(noKey.getMessage().contains("missing value for _key field"), noKey.getMessage());
    byte[] big = ("{\"_key\": \"large_test\", \"value\": \"" + "x".repeat(1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
    ValueTooLargeException tooLarge = assertThrows(ValueTooLargeException.class,
        () -> transport.post(url, big, null, CallOptions.IDEMPOTENT));
    assertTrue(tooLarge.getMessage().contains("Serialized value too large - max 1048576 bytes"), tooLarge.getMessage());
    assertEquals(413, tooLarge.status());
    assertEquals(0, client.getProject(P).collections().getStore("raw_errors").count(), "a refused request stores nothing");
  }

  @Test
  void uploaderSendsPreparedBatchesWhereAndAsTheWriterDoes() {
    Collection c = cols.getStore("uploaded");
    BatchUploader up = c.uploader();
    List<byte[]> lines = List.of(
        CollectionEncoder.INSTANCE.encode(rec("a", 1)),
        CollectionEncoder.INSTANCE.encodeKeyed("b", Map.of("_key", "replaced", "counter", 2)),
        CollectionEncoder.INSTANCE.encode(RawJson.of("{\"_key\":\"c\",\"counter\":3}")));
    UploadResult r = up.upload(Batch.of(0, lines));
    assertEquals(3, r.records());
    assertEquals(0, r.newcount());
    up.upload(Batch.of(0, lines)); // re-sent: the records are keyed, so nothing is stored twice
    assertEquals(3, c.count());
    assertEquals(2, c.get("b").get("counter").asInt());
    assertFalse(c.exists("replaced"));

    c.writer().close(); // nothing buffered: sends nothing
    BatchWriter<Object> w = c.writer();
    w.write(rec("d", 4));
    w.close();
    List<LoggedRequest> posts = requests(emu).stream().filter(q -> q.method().equals("POST")).toList();
    assertEquals(List.of("POST /collections/2222222/s/uploaded?start=0", "POST /collections/2222222/s/uploaded?start=0",
        "POST /collections/2222222/s/uploaded?start=0"), posts.stream().map(EmulatorClients::line).toList());
    for (LoggedRequest q : posts) {
      assertEquals("identity", q.header("content-encoding"), "collections are uploaded uncompressed, as the official client does");
    }
    assertEquals(4, c.count());
  }

  @Test
  void uploaderMapsRefusedBatchesToTypedErrors() {
    // The Beam sink relies on these two errors to isolate a refused record by splitting its batch.
    BatchUploader up = cols.getStore("refused_batches").uploader();
    BadRequestException noKey = assertThrows(BadRequestException.class,
        () -> up.upload(Batch.ofStrings(0, List.of("{\"_key\": \"ok\"}", "{\"foo\": 42}"))));
    assertEquals(400, noKey.status());
    ValueTooLargeException tooLarge = assertThrows(ValueTooLargeException.class,
        () -> up.upload(Batch.ofStrings(0, List.of("{\"_key\": \"big\", \"v\": \"" + "x".repeat(1024 * 1024) + "\"}"))));
    assertEquals(413, tooLarge.status());
    assertEquals(2, requests(emu).size(), "refused requests are not retried: they cannot succeed");
  }

  @Test
  void deleteUploaderDeletesBatchesOfKeys() {
    Collection c = cols.getStore("deleted_in_batches");
    c.set(List.of(rec("a", 1), rec("b", 2), rec("c", 3)));
    BatchUploader del = c.deleteUploader();
    Batch keys = Batch.of(0, List.of(CollectionKeyEncoder.INSTANCE.encode("a"), CollectionKeyEncoder.INSTANCE.encode("missing")));
    assertEquals(2, del.upload(keys).records());
    del.upload(keys); // re-sent: deleting a missing key is not an error
    assertFalse(c.exists("a"));
    assertTrue(c.exists("b"));
    List<LoggedRequest> deletes = requests(emu).stream().filter(q -> q.path().endsWith("/deleted")).toList();
    assertEquals(2, deletes.size());
    LoggedRequest d = deletes.get(0);
    assertEquals("POST /collections/2222222/s/deleted_in_batches/deleted", EmulatorClients.line(d), "no ?start=: the endpoint takes none");
    assertEquals("identity", d.header("content-encoding"));
    assertEquals("\"a\"\n\"missing\"\n", d.bodyText());

    c.delete(List.of("b")); // the same line encoding as the uploader's
    assertEquals("\"b\"\n", requests(emu).get(requests(emu).size() - 1).bodyText());
    assertEquals(1, c.count());
  }

  @Test
  void encodersNameWhyTheyRefuseARecord() {
    CollectionEncoder enc = CollectionEncoder.INSTANCE;
    assertEquals(Reason.NOT_JSON, refused(() -> enc.encode(RawJson.of("not json"))));
    assertEquals(Reason.NOT_AN_OBJECT, refused(() -> enc.encode(RawJson.of("[1,2]"))));
    assertEquals(Reason.NOT_AN_OBJECT, refused(() -> enc.encode(List.of(1, 2))));
    assertEquals(Reason.MISSING_KEY, refused(() -> enc.encode(Map.of("n", 1))));
    assertEquals(Reason.MISSING_KEY, refused(() -> enc.encode(Map.of("_key", 7))));
    assertEquals(Reason.MISSING_KEY, refused(() -> enc.encodeKeyed("", Map.of("n", 1))));
    assertEquals(Reason.MISSING_KEY, refused(() -> enc.encodeKeyed(null, Map.of("n", 1))));
    assertEquals(Reason.NOT_AN_OBJECT, refused(() -> enc.encodeKeyed("k", RawJson.of("\"text\""))));
    assertEquals(Reason.MISSING_KEY, refused(() -> CollectionKeyEncoder.INSTANCE.encode("")));
    // RawJson is sent as given once checked (numbers keep their spelling); a key given apart comes first
    assertEquals("{\"_key\":\"k\",\"v\":1.50}", new String(enc.encode(RawJson.of("{\"_key\":\"k\",\"v\":1.50}")), StandardCharsets.UTF_8));
    assertEquals("{\"_key\":\"k\",\"v\":1}",
        new String(enc.encodeKeyed("k", RawJson.of("{\"v\":1,\"_key\":\"old\"}")), StandardCharsets.UTF_8));
    assertEquals("\"a \\\"quoted\\\" key\"", new String(CollectionKeyEncoder.INSTANCE.encode("a \"quoted\" key"), StandardCharsets.UTF_8));
    assertEquals(List.of(), requests(emu), "encoding sends nothing");
  }

  private static Reason refused(org.junit.jupiter.api.function.Executable encode) {
    // Still a BadRequestException, as the client's refusals were before they carried a reason.
    BadRequestException e = assertThrows(BadRequestException.class, encode);
    return ((RecordRejectedException) e).reason();
  }

  @Test
  void writerUnderFaultsWritesEveryRecordExactlyOnce() {
    Collection c = cols.getStore("faulty");
    String posts = "^/collections/2222222/s/faulty$";
    emu.faults().failNext(2, 503, "POST", posts);
    emu.faults().rule().method("POST").path(posts).resetConnection().skip(1).times(1);
    emu.faults().loseAckNext(2, "POST", posts);
    emu.faults().rule().method("POST").path(posts).status(503).rate(0.2);
    emu.faults().rule().method("GET").path(posts).truncateAfter(300).times(2);
    BatchWriter<Object> w = c.writer(WriterOptions.defaults().withMaxRecords(100));
    for (int i = 0; i < 1450; i++) {
      w.write(rec(String.format("w%04d", i), i));
    }
    assertThrows(ValueTooLargeException.class, () -> w.write(Map.of("_key", "huge", "v", "x".repeat(1 << 20))));
    assertThrows(BadRequestException.class, () -> w.write(Map.of("nokey", 1)));
    for (int i = 1450; i < 1500; i++) {
      w.write(rec(String.format("w%04d", i), i));
    }
    WriteReport r = w.close();
    assertEquals(1500, r.records());
    assertEquals(15, r.batches());
    assertEquals(0, r.pendingRecords());
    List<CollectionRecord> back = c.list(ScanOptions.all().pageSize(400));
    assertEquals(1500, back.size());
    for (int i = 0; i < 1500; i++) {
      assertEquals(String.format("w%04d", i), back.get(i).key());
      assertEquals(i, back.get(i).node().get("counter").asInt());
    }
    assertEquals(1500, c.count());
    assertTrue(emu.faults().injectedCount(FaultKind.RESET_AFTER_HANDLING) == 2, "acks were lost after writes were applied");
    assertTrue(emu.faults().injectedCount(FaultKind.STATUS) >= 3);
    assertTrue(emu.faults().injectedCount(FaultKind.TRUNCATE) >= 1);
    assertThrows(IllegalStateException.class, () -> w.write(rec("late", 1)));
    assertNotNull(back.get(0).json());
  }
}
