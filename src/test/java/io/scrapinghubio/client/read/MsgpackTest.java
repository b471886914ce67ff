package io.scrapinghubio.client.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.client.ClientConfig;
import io.scrapinghubio.client.JobKey;
import io.scrapinghubio.client.ReadFormat;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.testing.FakeStorage;
import io.scrapinghubio.client.testing.FakeStorage.Fault;
import io.scrapinghubio.client.write.BatchWriter;
import io.scrapinghubio.client.write.JobWriters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MsgpackTest {
  static final JobKey JOB = JobKey.parse("2222222/1/287");
  FakeStorage fs;
  ScrapinghubClient json;
  ScrapinghubClient mp;

  @BeforeEach
  void setUp() throws Exception {
    fs = new FakeStorage();
    json = fs.client();
    mp = fs.client(ClientConfig.builder().readFormat(ReadFormat.MSGPACK));
  }

  @AfterEach
  void tearDown() {
    json.close();
    mp.close();
    fs.close();
  }

  private static List<String> read(ScrapinghubClient c, JobDataType type, int pageSize) {
    List<String> out = new ArrayList<>();
    try (PagedReader r = new PagedReader(c.transport(), ReadSpec.all(JOB, type).withPageSize(pageSize), c.ioExecutor(), null)) {
      r.forEachRemaining(rec -> out.add(rec.index() + " " + rec.json()));
    }
    return out;
  }

  private void write(JobDataType type, int n) {
    BatchWriter<Object> w = JobWriters.of(json, JOB, type, io.scrapinghubio.client.write.WriterOptions.defaults());
    for (int i = 0; i < n; i++) {
      w.write(type == JobDataType.SAMPLES ? List.of(i, i * 2)
          : Map.of("id", i, "data", "data" + i, "nested", Map.of("list", List.of(1.5, true, "é"), "nil", "x")));
    }
    w.close();
  }

  @Test
  void itemsReadAsMsgpackEqualJsonLines() {
    write(JobDataType.ITEMS, 2500);
    List<String> a = read(json, JobDataType.ITEMS, 1000);
    List<String> b = read(mp, JobDataType.ITEMS, 700);
    assertEquals(2500, a.size());
    assertEquals(a, b);
    assertTrue(fs.requests().stream().anyMatch(s -> s.startsWith("GET /items/2222222/1/287?start=2222222%2F1%2F287%2F700")));
  }

  @Test
  void logsWithoutKeyInMsgpackAreIndexedByPosition() {
    write(JobDataType.LOGS, 1200);
    fs.msgpackLogsKeyed = false; // as the real service
    List<String> b = read(mp, JobDataType.LOGS, 500);
    assertEquals(read(json, JobDataType.LOGS, 1000), b);
    assertTrue(b.get(1199).startsWith("1199 "));
  }

  @Test
  void samplesAndRequests() {
    write(JobDataType.SAMPLES, 10);
    assertEquals(read(json, JobDataType.SAMPLES, 1000), read(mp, JobDataType.SAMPLES, 1000));
    write(JobDataType.REQUESTS, 3);
    fs.clearLog();
    assertEquals(3, read(mp, JobDataType.REQUESTS, 1000).size());
  }

  @Test
  void truncatedMsgpackPageIsFetchedAgain() {
    write(JobDataType.ITEMS, 300);
    fs.fault("GET /items/.*start=2222222%2F1%2F287%2F100.*", Fault.TRUNCATE, 2);
    List<String> b = read(mp, JobDataType.ITEMS, 100);
    assertEquals(300, b.size());
    for (int i = 0; i < 300; i++) {
      assertTrue(b.get(i).startsWith(i + " "), b.get(i));
    }
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
