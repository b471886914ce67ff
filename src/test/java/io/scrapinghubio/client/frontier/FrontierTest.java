package io.scrapinghubio.client.frontier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.errors.ValueTooLargeException;
import io.scrapinghubio.client.json.Json;
import io.scrapinghubio.client.testing.FakeStorage;
import io.scrapinghubio.client.testing.FakeStorage.Fault;
import io.scrapinghubio.client.write.WriteReport;
import io.scrapinghubio.client.write.WriterOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FrontierTest {
  FakeStorage fs;
  ScrapinghubClient client;
  Frontiers frontiers;

  @BeforeEach
  void setUp() throws Exception {
    fs = new FakeStorage();
    client = fs.client();
    frontiers = client.getProject(2222222).frontiers();
  }

  @AfterEach
  void tearDown() {
    client.close();
    fs.close();
  }

  @Test
  void addReadDeleteAndNewcount() {
    Frontier f = frontiers.get("test_frontier");
    assertSame(f, frontiers.get("test_frontier"));
    FrontierSlot slot = f.get("site.com");
    assertSame(slot, f.get("site.com"));
    slot.fingerprints().add("/some/path.html", "/other/path.html");
    assertEquals(0, slot.newcount(), "nothing is sent before a flush");
    WriteReport r = slot.flush();
    assertEquals(2, r.newcount());
    assertEquals(2, slot.newcount());
    slot.queue().add(FrontierRequest.of("page1.html").withPriority(1).withQdata(Json.parse("{\"depth\":1}")),
        FrontierRequest.of("/some/path.html")); // duplicate fingerprint
    frontiers.flush();
    assertEquals(3, slot.newcount());
    assertEquals(3, f.newcount());
    assertEquals(3, frontiers.newcount());
    assertEquals(List.of("test_frontier"), frontiers.list());
    assertEquals(List.of("site.com"), f.list());

    List<QueueBatch> batches = slot.queue().list();
    assertEquals(2, batches.size());
    assertEquals("/some/path.html", batches.get(0).requests().get(0).fp());
    assertNull(batches.get(0).requests().get(0).qdata());
    assertEquals(1, batches.get(1).requests().get(0).qdata().get("depth").asInt());
    assertEquals(List.of("/other/path.html", "/some/path.html", "page1.html"), slot.fingerprints().list());
    slot.queue().delete(batches.get(0).id(), batches.get(1).id());
    assertEquals(List.of(), slot.queue().list());
    assertTrue(fs.requests().contains("POST /hcf/2222222/test_frontier/s/site.com/q/deleted"));
    slot.delete();
    assertEquals(List.of(), f.list());
  }

  @Test
  void bigChunkIsServedInBatchesOf100AndNewcountIsPerSlot() {
    Frontier f = frontiers.get("big");
    List<FrontierRequest> rs = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      rs.add(FrontierRequest.of("/index_" + i + ".html"));
    }
    f.get("site.com").queue().add(rs);
    f.get("test2.com").queue().add(FrontierRequest.of("/different_path.html"));
    WriteReport r = f.flush();
    assertEquals(301, r.newcount());
    assertEquals(300, f.get("site.com").newcount());
    assertEquals(1, f.get("test2.com").newcount());
    List<QueueBatch> bs = f.get("site.com").queue().list(100);
    assertEquals(3, bs.size());
    assertTrue(fs.requests().contains("GET /hcf/2222222/big/s/site.com/q?mincount=100"));
    assertEquals(100, bs.get(0).requests().size());
  }

  @Test
  void unknownSlotAndBadNames() {
    FrontierSlot ghost = frontiers.get("nope").get("unknown.slot");
    assertEquals(List.of(), ghost.queue().list());
    assertEquals(List.of(), ghost.fingerprints().list());
    ghost.delete(); // not an error
    assertEquals(List.of(), frontiers.get("nope").list());
    assertThrows(IllegalArgumentException.class, () -> frontiers.get("a/b"));
    assertThrows(IllegalArgumentException.class, () -> frontiers.get("f").get(""));
    assertThrows(IllegalArgumentException.class, () -> FrontierRequest.of(""));
    ValueTooLargeException e = assertThrows(ValueTooLargeException.class,
        () -> frontiers.get("f").get("s").queue().add(FrontierRequest.of("big").withQdata(Json.MAPPER.valueToTree("x".repeat(1 << 20)))));
    assertTrue(e.getMessage().contains("fp 'big'"), e.getMessage());
  }

  @Test
  void faultsDuringAddsNeitherLoseNorDuplicateRequests() {
    frontiers.writerOptions(WriterOptions.frontierDefaults().withMaxRecords(100));
    fs.fault("POST /hcf/2222222/fr/s/site.com\\?start=0", Fault.PROCESS_THEN_503, 1)
        .fault("POST /hcf/2222222/fr/s/site.com\\?start=100", Fault.TRUNCATE, 1)
        .fault("POST /hcf/2222222/fr/s/site.com\\?start=200", Fault.RESET, 1)
        .fault("POST /hcf/2222222/fr/s/site.com\\?start=300", Fault.STATUS_503, 2);
    FrontierSlot slot = frontiers.get("fr").get("site.com");
    for (int i = 0; i < 350; i++) {
      slot.queue().add(FrontierRequest.of("fp" + i));
    }
    WriteReport r = frontiers.close();
    assertEquals(350, r.records());
    // Two batches were queued by the service but their answers were lost (503 after processing,
    // truncated body); their re-sends found the fingerprints known and answered newcount 0. So
    // newcount under-counts by exactly those batches, while the queue itself is exact.
    assertEquals(150, slot.newcount());
    List<String> fps = new ArrayList<>();
    for (QueueBatch b : slot.queue().list()) {
      b.requests().forEach(q -> fps.add(q.fp()));
    }
    assertEquals(350, fps.size());
    assertEquals(350, new HashSet<>(fps).size());
  }
}
