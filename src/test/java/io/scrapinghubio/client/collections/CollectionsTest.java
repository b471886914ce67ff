package io.scrapinghubio.client.collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.ClientConfig;
import io.scrapinghubio.client.ReadFormat;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.errors.BadRequestException;
import io.scrapinghubio.client.errors.NotFoundException;
import io.scrapinghubio.client.errors.ValueTooLargeException;
import io.scrapinghubio.client.testing.FakeStorage;
import io.scrapinghubio.client.testing.FakeStorage.Fault;
import io.scrapinghubio.client.write.BatchWriter;
import io.scrapinghubio.client.write.WriteReport;
import io.scrapinghubio.client.write.WriterOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CollectionsTest {
  static final long P = 2222222;
  FakeStorage fs;
  ScrapinghubClient client;
  Collections cols;

  @BeforeEach
  void setUp() throws Exception {
    fs = new FakeStorage();
    client = fs.client();
    cols = client.getProject(P).collections();
  }

  @AfterEach
  void tearDown() {
    client.close();
    fs.close();
  }

  static Map<String, Object> rec(String key, int counter) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("_key", key);
    m.put("counter", counter);
    m.put("field2", List.of("value2a", "value2b"));
    return m;
  }

  @Test
  void setGetDeleteOnEveryStoreType() {
    for (StoreType t : StoreType.values()) {
      Collection c = cols.get(t, "test_collection_123");
      c.set(rec("insert_test_key", 1));
      JsonNode v = c.get("insert_test_key");
      assertEquals(1, v.get("counter").asInt());
      assertFalse(v.has("_key"), "get() returns the value without _key");
      c.delete("insert_test_key");
      assertThrows(NotFoundException.class, () -> c.get("insert_test_key"));
      assertFalse(c.exists("insert_test_key"));
    }
    assertEquals(4, cols.list().size());
    assertTrue(fs.requests().contains("POST /collections/2222222/vcs/test_collection_123/deleted"));
  }

  @Test
  void msgpackGetDecodesToTheSameJson() {
    Collection c = cols.getStore("mp");
    c.set(rec("k", 7));
    JsonNode json = c.get("k", ReadFormat.JSON_LINES);
    JsonNode mp = c.get("k", ReadFormat.MSGPACK);
    assertEquals(json, mp);
    try (ScrapinghubClient mpClient = fs.client(ClientConfig.builder().readFormat(ReadFormat.MSGPACK))) {
      assertEquals(json, mpClient.getProject(P).collections().getStore("mp").get("k"));
      assertThrows(NotFoundException.class, () -> mpClient.getProject(P).collections().getStore("mp").get("missing"));
    }
  }

  @Test
  void badInputIsRejectedBeforeAnyRequest() {
    assertThrows(IllegalArgumentException.class, () -> cols.getStore("bad-name"));
    assertThrows(IllegalArgumentException.class, () -> cols.getStore("with space"));
    assertThrows(IllegalArgumentException.class, () -> cols.getStore(""));
    Collection c = cols.getStore("ok_name");
    BadRequestException noKey = assertThrows(BadRequestException.class, () -> c.set(Map.of("foo", 42)));
    assertTrue(noKey.getMessage().contains("_key"), noKey.getMessage());
    // one bad record among good ones: nothing is sent
    assertThrows(BadRequestException.class, () -> c.set(List.of(rec("a", 1), Map.of("foo", 1))));
    ValueTooLargeException big = assertThrows(ValueTooLargeException.class,
        () -> c.set(List.of(rec("a", 1), Map.of("_key", "large_test", "value", "x".repeat(1024 * 1024)))));
    assertTrue(big.getMessage().contains("large_test"), big.getMessage());
    // 1 MiB counted in bytes: 400k three-byte chars are 1.2 MB although 400k chars
    assertThrows(ValueTooLargeException.class, () -> c.set(Map.of("_key", "utf8", "v", "€".repeat(400_000))));
    assertEquals(List.of(), fs.requests());
  }

  @Test
  void scanSurvivesShortPagesAndReturnsEveryRecordOnceInOrder() {
    Collection c = cols.getStore("scan");
    List<Object> all = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      all.add(rec(String.format("k%04d", i), i));
    }
    c.set(all);
    fs.scanPageCap = 7; // the service answers fewer than asked
    fs.clearLog();
    List<String> keys = new ArrayList<>();
    CollectionScanner s = c.scanner(ScanOptions.all().pageSize(50));
    s.forEachRemaining(r -> keys.add(r.key()));
    assertEquals(500, keys.size());
    for (int i = 0; i < 500; i++) {
      assertEquals(String.format("k%04d", i), keys.get(i));
    }
    assertEquals(500 / 7 + 2, s.requests(), "pages of 7 then one empty page");
    assertTrue(fs.requests().get(1).contains("startafter=k0006"), fs.requests().get(1));
  }

  @Test
  void scanSelections() {
    Collection c = cols.getStore("sel");
    List<Object> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      all.add(rec("post_scan_test" + i, i));
    }
    c.set(all);
    assertEquals(11, c.list(ScanOptions.all().prefix("post_scan_test1")).size());
    assertEquals(19, c.list(ScanOptions.all().start("post_scan_test1")).size());
    assertEquals(18, c.list(ScanOptions.all().startafter("post_scan_test1")).size());
    assertEquals(3, c.list(ScanOptions.all().count(3).pageSize(2)).size());
    List<CollectionRecord> two = c.list(ScanOptions.all().key("post_scan_test3", "post_scan_test7"));
    assertEquals(List.of("post_scan_test3", "post_scan_test7"), two.stream().map(CollectionRecord::key).toList());
    assertEquals(7, two.get(1).node().get("counter").asInt());
    assertEquals("post_scan_test7", two.get(1).node().get("_key").asText(), "scans keep _key");
  }

  @Test
  void countFollowsNextstartToTheEnd() {
    Collection c = cols.getStore("cnt");
    List<Object> all = new ArrayList<>();
    for (int i = 0; i < 95; i++) {
      all.add(rec("a" + i, i));
    }
    c.set(all);
    fs.countSlice = 30;
    fs.clearLog();
    assertEquals(95, c.count());
    assertEquals(4, fs.requests().size());
    assertEquals(11, c.count(ScanOptions.all().prefix("a1")));
  }

  @Test
  void deleteManyAndTruncate() {
    Collection c = cols.getStore("trunc");
    List<Object> all = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      all.add(rec("my_key_" + i, i));
      keys.add("my_key_" + i);
    }
    c.set(all);
    assertEquals(2500, c.count());
    c.delete(keys.subList(0, 1500));
    assertEquals(1000, c.count());
    c.truncate();
    assertTrue(fs.requests().contains("POST /collections/2222222/delete?name=trunc"));
    assertEquals(0, c.list(ScanOptions.all().prefix("my_key")).size());
  }

  @Test
  void writerUnderFaultsWritesEveryRecordExactlyOnce() {
    Collection c = cols.getStore("faulty");
    fs.fault("POST /collections/2222222/s/faulty\\?start=0", Fault.STATUS_503, 2)
        .fault("POST /collections/2222222/s/faulty\\?start=100", Fault.PROCESS_THEN_503, 1)
        .fault("POST /collections/2222222/s/faulty\\?start=200", Fault.RESET, 1)
        .fault("POST /collections/2222222/s/faulty\\?start=300", Fault.STATUS_429, 1)
        .fault("GET /collections/2222222/s/faulty\\?.*", Fault.TRUNCATE, 1);
    BatchWriter<Object> w = c.writer(WriterOptions.defaults().withMaxRecords(100));
    for (int i = 0; i < 450; i++) {
      w.write(rec(String.format("w%04d", i), i));
    }
    assertThrows(ValueTooLargeException.class, () -> w.write(Map.of("_key", "huge", "v", "x".repeat(1 << 20))));
    assertThrows(BadRequestException.class, () -> w.write(Map.of("nokey", 1)));
    WriteReport r = w.close();
    assertEquals(450, r.records());
    assertEquals(5, r.batches());
    assertEquals(0, r.pendingRecords());
    List<CollectionRecord> back = c.list(ScanOptions.all().pageSize(1000));
    assertEquals(450, back.size());
    for (int i = 0; i < 450; i++) {
      assertEquals(i, back.get(i).node().get("counter").asInt());
    }
    assertThrows(IllegalStateException.class, () -> w.write(rec("late", 1)));
  }
}
