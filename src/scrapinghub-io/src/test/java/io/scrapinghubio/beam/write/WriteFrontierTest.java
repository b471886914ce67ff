package io.scrapinghubio.beam.write;

import io.scrapinghubio.beam.failure.ScrapinghubFailure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.client.frontier.FrontierRequest;
import io.scrapinghubio.client.frontier.QueuedRequest;
import io.scrapinghubio.client.json.Json;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.fault.FaultKind;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code writeToFrontier()} family end to end against the emulator, on the Direct runner. */
class WriteFrontierTest {
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(WriteFixture.KEY);

  private static long nextProject = 400;
  private long project;
  private ScrapyCloudEmulator emu;

  @BeforeEach
  void setUp() {
    emu = EMU.emulator();
    project = ++nextProject;
    emu.state().project(project); // requests never create a project
  }

  static List<String> urls(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("https://Site" + (i % 5) + ".Example.com/page/" + i);
    }
    return out;
  }

  /** Asserts every URL is queued exactly once, in the slot of its host. */
  static void assertQueuedOnceByHost(Map<String, List<QueuedRequest>> queued, List<String> urls) {
    Set<String> seen = new HashSet<>();
    int total = 0;
    for (Map.Entry<String, List<QueuedRequest>> e : queued.entrySet()) {
      for (QueuedRequest r : e.getValue()) {
        total++;
        assertTrue(seen.add(r.fp()), "queued twice: " + r.fp());
        assertEquals(FrontierSlots.host(r.fp()), e.getKey(), "slot of " + r.fp());
      }
    }
    assertEquals(new HashSet<>(urls), seen);
    assertEquals(new HashSet<>(urls).size(), total);
  }

  private WriteToFrontier<String> write(String frontier) {
    return ScrapinghubIO.writeToFrontier().withConnection(WriteFixture.connection(emu)).withProject(project).to(frontier);
  }

  @Test
  void writesUrlsToPerHostSlotsThenReadsThemBackAndCountsDuplicates() {
    List<String> urls = urls(20_000);
    List<String> input = new ArrayList<>(urls);
    input.addAll(urls.subList(0, 1500)); // duplicates: the slot keeps one of each
    Pipeline p = WriteFixture.direct();
    p.apply(Create.of(input)).apply(write("links").withMaxBatchRecords(1000));
    PipelineResult r = p.run();
    r.waitUntilFinish();

    Map<String, List<QueuedRequest>> queued = WriteFixture.readFrontier(emu, project, "links");
    assertEquals(Set.of("site0.example.com", "site1.example.com", "site2.example.com", "site3.example.com", "site4.example.com"),
        queued.keySet());
    assertQueuedOnceByHost(queued, urls);
    assertEquals(21_500, WriteFixture.counter(r, "write_records"));
    assertEquals(20_000, WriteFixture.counter(r, "frontier_newcount"));
    assertEquals(1_500, WriteFixture.counter(r, "frontier_duplicates"));
  }

  @Test
  void jsonRequestsKeepQdataAndPriorityAndCustomSlots() {
    List<String> input = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      input.add("{\"fp\":\"item-" + i + "\",\"qdata\":{\"depth\":" + (i % 4) + "},\"p\":" + (i % 2) + ",\"fdata\":{\"seen\":true}}");
    }
    input.add("{\"qdata\":{\"no\":\"fp\"}}");
    input.add("{\"fp\":\"x\",\"blob\":" + "1".repeat(10) + "}"); // extra fields are ignored
    Pipeline p = WriteFixture.direct();
    try (BadRecordErrorHandler<?> h = WriteFixture.handler(p, "frontier-json")) {
      p.apply(Create.of(input)).apply(ScrapinghubIO.writeJsonToFrontier().withConnection(WriteFixture.connection(emu))
          .withProject(project).to("jobs").withSlotFunction(FrontierSlots.byHash(3)).withBadRecordErrorHandler(h));
    }
    p.run().waitUntilFinish();

    Map<String, List<QueuedRequest>> queued = WriteFixture.readFrontier(emu, project, "jobs");
    assertEquals(Set.of("0", "1", "2"), queued.keySet());
    Map<String, QueuedRequest> byFp = new HashMap<>();
    queued.forEach((slot, rs) -> rs.forEach(q -> {
      assertEquals(FrontierSlots.hashSlot(q.fp(), 3), slot);
      byFp.put(q.fp(), q);
    }));
    assertEquals(301, byFp.size());
    assertEquals(Json.parse("{\"depth\":3}"), byFp.get("item-7").qdata());
    assertNull(byFp.get("x").qdata());
    assertEquals(1, WriteFixture.collected("frontier-json").size());
    FailedRecord noFp = WriteFixture.collected("frontier-json").get(0);
    assertEquals(ScrapinghubFailure.Kind.MISSING_KEY, noFp.kind());
    assertEquals("{\"qdata\":{\"no\":\"fp\"}}", noFp.record(), "the record as it would have been sent");
    assertEquals(-1, noFp.status());
    // priority 0 batches are served first
    var first = WriteFixture.readFrontier(emu, project, "jobs").get("0").get(0);
    assertTrue(Integer.parseInt(first.fp().substring(5)) % 2 == 0, "p=0 first: " + first);
  }

  @Test
  void injectedFaultsAndTruncatedAnswersQueueEveryRequestOnce() {
    List<String> urls = urls(30_000);
    String path = "^/hcf/" + project + "/";
    emu.faults().rule().path(path).status(429).retryAfter(0).rate(0.08);
    emu.faults().rule().path(path).status(503).retryAfter(0).rate(0.05);
    emu.faults().rule().path(path).resetConnection().rate(0.04);
    // the service queues the batch, then the answer ({"newcount":N}) is cut: the client retries it
    emu.faults().rule().method("POST").path(path).truncateAfter(3).rate(0.05);
    Pipeline p = WriteFixture.direct();
    p.apply(Create.of(urls)).apply(write("faulty").withMaxBatchRecords(300).withMaxUploadsInFlight(6));
    PipelineResult r = p.run();
    r.waitUntilFinish();
    for (FaultKind k : List.of(FaultKind.STATUS, FaultKind.RESET, FaultKind.TRUNCATE)) {
      assertTrue(emu.faults().injectedCount(k) > 0, "no " + k + " fault");
    }
    emu.resetFaults();

    assertQueuedOnceByHost(WriteFixture.readFrontier(emu, project, "faulty"), urls);
    // re-sent batches whose first answer was lost are unconfirmed, never duplicates (every URL is distinct)
    assertEquals(0, WriteFixture.counter(r, "frontier_duplicates"));
    assertEquals(30_000, WriteFixture.counter(r, "frontier_newcount") + WriteFixture.counter(r, "frontier_unconfirmed"));
  }

  static final AtomicBoolean FAIL_ONCE = new AtomicBoolean();

  /**
   * Requests queued once the failed run's last uploads have landed: the runner reports the failure
   * while other bundles' uploads may still be in flight, and those would count as duplicates later.
   */
  private int settledCount(String frontier) {
    int last = -1;
    int same = 0;
    for (int i = 0; i < 100 && same < 3; i++) {
      int n = WriteFixture.readFrontier(emu, project, frontier).values().stream().mapToInt(List::size).sum();
      same = n == last ? same + 1 : 0;
      last = n;
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return last;
  }

  static FrontierRequest failingOnce(String url) {
    if (url.endsWith("/page/7000") && FAIL_ONCE.compareAndSet(true, false)) {
      throw new IllegalStateException("injected failure after some uploads");
    }
    return FrontierRequest.of(url);
  }

  @Test
  void aBundleFailedAfterUploadAndRetriedQueuesNothingTwice() {
    List<String> urls = urls(10_000);
    FAIL_ONCE.set(true);
    Pipeline p1 = WriteFixture.direct();
    p1.apply(Create.of(urls)).apply(ScrapinghubIO.writeRequestsToFrontier(WriteFrontierTest::failingOnce)
        .withConnection(WriteFixture.connection(emu)).withProject(project).to("retried").withMaxBatchRecords(200));
    assertThrows(Exception.class, () -> p1.run().waitUntilFinish());
    int partial = settledCount("retried");
    assertTrue(partial > 0 && partial < 10_000, "attempt 1 queued some batches: " + partial);

    Pipeline p2 = WriteFixture.direct();
    p2.apply(Create.of(urls)).apply(ScrapinghubIO.writeRequestsToFrontier(WriteFrontierTest::failingOnce)
        .withConnection(WriteFixture.connection(emu)).withProject(project).to("retried").withMaxBatchRecords(200));
    PipelineResult r = p2.run();
    r.waitUntilFinish();
    assertQueuedOnceByHost(WriteFixture.readFrontier(emu, project, "retried"), urls);
    assertEquals(10_000 - partial, WriteFixture.counter(r, "frontier_newcount"));
    assertEquals(partial, WriteFixture.counter(r, "frontier_duplicates"));
  }
}
