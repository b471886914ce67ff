package io.scrapinghubio.client.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.core.JobKey;
import io.scrapinghubio.client.core.ReadFormat;
import io.scrapinghubio.client.testing.EmulatorClients;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import io.scrapinghubio.emulator.store.RecordLog;
import io.scrapinghubio.emulator.store.RecordType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code meta=_ts}: each record's store time, taken out of its JSON, in both decoders' paths and end to end. */
class TimestampedReadTest {
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(EmulatorClients.KEY)
      .projects(2222222);
  private static final JobKey JOB = JobKey.parse("2222222/1/287");

  private static JobRecord one(String line, boolean keepKey) {
    return JsonLinesDecoder.decode((line + "\n").getBytes(StandardCharsets.UTF_8), JOB, true, keepKey, 0, true).get(0);
  }

  @Test
  void itemsCarryTheTimeLastAndLoseIt() {
    JobRecord r = one("{\"id\":3,\"_key\":\"2222222/1/287/3\",\"_ts\":1700000000123}", false);
    assertEquals(3, r.index());
    assertEquals(1700000000123L, r.timestamp());
    assertEquals("{\"id\":3}", r.json());
    assertEquals("{\"id\":3,\"_key\":\"2222222/1/287/3\"}", one("{\"id\":3,\"_key\":\"2222222/1/287/3\",\"_ts\":5}", true).json());
  }

  @Test
  void logsCarryTheTimeSecondAndLoseIt() {
    JobRecord r = one("{\"_key\":\"2222222/1/287/7\",\"_ts\":42,\"time\":1,\"message\":\"m\"}", false);
    assertEquals(7, r.index());
    assertEquals(42, r.timestamp());
    assertEquals("{\"time\":1,\"message\":\"m\"}", r.json());
    JobRecord empty = one("{\"_key\":\"2222222/1/287/8\",\"_ts\":43}", false);
    assertEquals("{}", empty.json());
    assertEquals(43, empty.timestamp());
  }

  @Test
  void anUnusualLayoutGoesThroughJackson() {
    JobRecord r = one("{\"_ts\": 9, \"a\": {\"_ts\": 1}, \"_key\": \"2222222/1/287/2\"}", false);
    assertEquals(2, r.index());
    assertEquals(9, r.timestamp());
    assertEquals("{\"a\":{\"_ts\":1}}", r.json());
    assertThrows(RuntimeException.class, () -> one("{\"_key\":\"2222222/1/287/2\"}", false));
  }

  @Test
  void withoutTimestampsRecordsHaveNone() {
    JobRecord r = JsonLinesDecoder.decode("{\"_key\":\"2222222/1/287/1\"}\n".getBytes(StandardCharsets.UTF_8), JOB, true, false, 0).get(0);
    assertFalse(r.hasTimestamp());
    assertThrows(IllegalArgumentException.class, () -> ReadSpec.all(JOB, JobDataType.SAMPLES).withTimestamps(true));
  }

  @Test
  void readsTheStoreTimeOfEveryItemEvenInMsgpackMode() {
    ScrapyCloudEmulator emu = EMU.emulator();
    JobKey job = JobKey.parse("2222222/4/1");
    List<Object> items = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      items.add(Map.of("n", i));
    }
    emu.state().appendItems(job.toString(), items.subList(0, 10));
    emu.state().appendItems(job.toString(), items.subList(10, 25));
    RecordLog.View v = emu.state().records(job.toString(), RecordType.ITEMS).view();
    try (ScrapinghubClient c = EmulatorClients.client(emu, ReadFormat.MSGPACK)) {
      List<JobRecord> got = c.getJob(job).items().list(ReadSpec.all(job, JobDataType.ITEMS).withPageSize(7).withTimestamps(true));
      assertEquals(25, got.size());
      for (JobRecord r : got) {
        assertEquals(v.timestamp((int) r.index()), r.timestamp(), r.toString());
        assertEquals("{\"n\":" + r.index() + "}", r.json());
      }
    }
    assertTrue(emu.requestLog().matching("GET", "^/items/2222222/4/1$").stream()
        .allMatch(q -> q.query().get("meta").containsAll(List.of("_key", "_ts"))));
  }
}
