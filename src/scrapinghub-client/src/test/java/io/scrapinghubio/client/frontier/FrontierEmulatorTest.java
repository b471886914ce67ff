package io.scrapinghubio.client.frontier;

import static io.scrapinghubio.client.testing.EmulatorClients.line;
import static io.scrapinghubio.client.testing.EmulatorClients.requests;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.errors.ValueTooLargeException;
import io.scrapinghubio.client.json.Json;
import io.scrapinghubio.client.testing.EmulatorClients;
import io.scrapinghubio.client.write.Batch;
import io.scrapinghubio.client.write.BatchUploader;
import io.scrapinghubio.client.write.UploadResult;
import io.scrapinghubio.client.write.WriteReport;
import io.scrapinghubio.client.write.WriterOptions;
import io.scrapinghubio.emulator.log.LoggedRequest;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.fault.FaultKind;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Frontiers (HCF) end to end against the emulator. */
class FrontierEmulatorTest {
  static final long P = 2222222;

  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(EmulatorClients.KEY)
      .projects(2222222);

  ScrapyCloudEmulator emu;
  ScrapinghubClient client;
  Frontiers frontiers;

  @BeforeEach
  void setUp() {
    emu = EMU.emulator();
    client = EmulatorClients.client(emu);
    frontiers = client.getProject(P).frontiers();
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  private static List<String> drain(FrontierSlot slot, Integer mincount) {
    List<String> fps = new ArrayList<>();
    for (List<QueueBatch> bs = slot.queue().list(mincount); !bs.isEmpty(); bs = slot.queue().list(mincount)) {
      for (QueueBatch b : bs) {
        assertTrue(b.requests().size() <= 100, "batch of " + b.requests().size());
        b.requests().forEach(q -> fps.add(q.fp()));
      }
      slot.queue().delete(bs.stream().map(QueueBatch::id).toList());
    }
    return fps;
  }

  @Test
  void addWithParamsReadsLowerPriorityFirstAndCountsNewPerSlotFrontierAndProject() {
    Frontier f = frontiers.get("test_frontier");
    assertSame(f, frontiers.get("test_frontier"));
    FrontierSlot slot = f.get("site.com");
    assertSame(slot, f.get("site.com"));
    slot.queue().add(
        FrontierRequest.of("/low.html").withPriority(5).withQdata(Json.parse("{\"depth\":2}")),
        FrontierRequest.of("page1.html").withPriority(1).withQdata(Json.parse("{\"depth\":1}")).withFdata(Json.parse("{\"seen\":true}")));
    slot.fingerprints().add("/some/path.html", "/other/path.html");
    assertEquals(0, slot.newcount(), "nothing is sent before a flush");
    assertEquals(List.of(), requests(emu));
    WriteReport r = slot.flush();
    assertEquals(4, r.newcount());
    assertEquals(4, r.records());
    assertEquals(1, r.batches());
    LoggedRequest post = requests(emu).get(0);
    assertEquals("POST /hcf/2222222/test_frontier/s/site.com?start=0", line(post));
    assertEquals("identity", post.header("content-encoding"));
    assertTrue(post.bodyText().contains("{\"fp\":\"page1.html\",\"qdata\":{\"depth\":1},\"fdata\":{\"seen\":true},\"p\":1}"),
        post.bodyText());

    // duplicates (already queued or already seen) are not re-added
    slot.queue().add(FrontierRequest.of("/some/path.html"), FrontierRequest.of("page1.html").withPriority(0),
        FrontierRequest.of("/new.html"));
    f.get("other.com").queue().add(FrontierRequest.of("/some/path.html")); // another slot: its own fingerprints
    frontiers.flush();
    assertEquals(5, slot.newcount(), "per slot");
    assertEquals(1, f.get("other.com").newcount());
    assertEquals(6, f.newcount(), "per frontier");
    assertEquals(6, frontiers.newcount(), "per project");
    assertTrue(frontiers.list().contains("test_frontier"));
    assertEquals(List.of("site.com", "other.com"), f.list());

    List<QueueBatch> batches = slot.queue().list();
    // default priority (0) first, then p=1, then p=5
    List<String> order = new ArrayList<>();
    batches.forEach(b -> b.requests().forEach(q -> order.add(q.fp())));
    assertEquals(List.of("/some/path.html", "/other/path.html", "/new.html", "page1.html", "/low.html"), order);
    QueuedRequest p1 = batches.stream().flatMap(b -> b.requests().stream()).filter(q -> q.fp().equals("page1.html")).findFirst()
        .orElseThrow();
    assertEquals(1, p1.qdata().get("depth").asInt());
    assertNull(batches.get(0).requests().get(0).qdata());
    assertEquals(List.of("/low.html", "/new.html", "/other/path.html", "/some/path.html", "page1.html"),
        slot.fingerprints().list(), "lexicographic");
    slot.queue().delete(batches.get(0).id());
    assertEquals(batches.size() - 1, slot.queue().list().size());
    slot.queue().delete(batches.stream().map(QueueBatch::id).toList());
    assertEquals(List.of(), slot.queue().list());
    assertEquals(5, slot.fingerprints().list().size(), "deleting batches keeps the fingerprints");
    slot.queue().add(FrontierRequest.of("/new.html"));
    assertEquals(5, slot.flush().newcount(), "a processed request stays known: the writer's total is unchanged");
    assertEquals(List.of(), slot.queue().list());

    slot.delete();
    f.get("other.com").delete();
    assertEquals(List.of(), f.list());
    assertEquals(List.of(), slot.fingerprints().list());
    slot.queue().add(FrontierRequest.of("/new.html"));
    slot.flush();
    assertEquals(6, slot.newcount(), "after deleting the slot a fingerprint is new again");
    slot.delete();
  }

  @Test
  void slotUploaderSendsEncodedRequestsWhereAndAsTheSlotWriterDoes() {
    Frontier f = frontiers.get("uploaded");
    BatchUploader up = f.slotUploader("example.com");
    FrontierRequest full = FrontierRequest.of("https://example.com/a").withQdata(Json.parse("{\"depth\":1}"))
        .withFdata(Json.parse("{\"seen\":true}")).withPriority(2);
    Batch batch = Batch.of(0, List.of(FrontierRequestEncoder.INSTANCE.encode(full),
        FrontierRequestEncoder.INSTANCE.encode(FrontierRequest.of("https://example.com/b"))));
    UploadResult r = up.upload(batch);
    assertEquals(2, r.records());
    assertEquals(2, r.newcount());
    assertEquals(0, up.upload(batch).newcount(), "re-sent: the slot knows the fingerprints, nothing is queued twice");
    assertEquals(0, f.newcount(), "the uploader's newcount is in its results only");
    assertEquals(List.of("example.com"), f.list(), "the uploads created the slot on the service");

    f.get("example.com").queue().add(FrontierRequest.of("https://example.com/c"));
    f.flush();
    List<LoggedRequest> posts = requests(emu).stream().filter(q -> q.method().equals("POST")).toList();
    assertEquals(3, posts.size());
    for (LoggedRequest q : posts) {
      assertEquals("POST /hcf/2222222/uploaded/s/example.com?start=0", line(q));
      assertEquals("identity", q.header("content-encoding"));
    }
    assertEquals("{\"fp\":\"https://example.com/a\",\"qdata\":{\"depth\":1},\"fdata\":{\"seen\":true},\"p\":2}\n"
        + "{\"fp\":\"https://example.com/b\"}\n", posts.get(0).bodyText());
    assertEquals(List.of("https://example.com/a", "https://example.com/b", "https://example.com/c"),
        f.get("example.com").fingerprints().list());
    assertThrows(IllegalArgumentException.class, () -> f.slotUploader("a/b"));
    f.get("example.com").delete();
  }

  @Test
  void requestsReadBackFromTheirJsonForm() {
    FrontierRequest full = FrontierRequest.of("fp1").withQdata(Json.parse("{\"a\":[1]}")).withFdata(Json.parse("{\"b\":2}"))
        .withPriority(3);
    String json = new String(FrontierRequestEncoder.INSTANCE.encode(full), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(full, FrontierRequest.fromJson(Json.parse(json)));
    assertEquals(FrontierRequest.of("fp2"), FrontierRequest.fromJson(Json.parse("{\"fp\":\"fp2\",\"qdata\":null,\"p\":null}")));
    for (String bad : List.of("{\"qdata\":{}}", "{\"fp\":\"\"}", "{\"fp\":7}", "[\"fp\"]")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FrontierRequest.fromJson(Json.parse(bad)));
      assertTrue(e.getMessage().contains("non-empty string fp"), e.getMessage());
    }
  }

  @Test
  void bigChunkIsServedInBatchesOfAtMost100() {
    Frontier f = frontiers.get("big");
    List<FrontierRequest> rs = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      rs.add(FrontierRequest.of("/index_" + i + ".html"));
    }
    for (int i = 0; i < 50; i++) {
      rs.add(FrontierRequest.of("/p1_" + i).withPriority(1));
    }
    f.get("site.com").queue().add(rs);
    f.get("test2.com").queue().add(FrontierRequest.of("/different_path.html"));
    WriteReport r = f.flush();
    assertEquals(351, r.newcount());
    assertEquals(350, f.get("site.com").newcount());
    assertEquals(1, f.get("test2.com").newcount());

    List<QueueBatch> one = f.get("site.com").queue().list();
    assertEquals(1, one.size(), "without mincount: batches until 100 requests");
    assertEquals(100, one.get(0).requests().size());
    List<QueueBatch> all = f.get("site.com").queue().list(1000);
    assertEquals(List.of(100, 100, 100, 50), all.stream().map(b -> b.requests().size()).toList());
    assertEquals(4, new HashSet<>(all.stream().map(QueueBatch::id).toList()).size(), "batch ids are unique");
    assertTrue(all.get(3).requests().get(0).fp().startsWith("/p1_"), "p=1 after p=0");
    assertEquals(2, f.get("site.com").queue().list(150).size(), "mincount=150 takes two batches");
    assertTrue(requests(emu).stream().anyMatch(q -> line(q).equals("GET /hcf/2222222/big/s/site.com/q?mincount=150")));
    List<String> fps = drain(f.get("site.com"), 100);
    assertEquals(350, fps.size());
    assertEquals(350, new HashSet<>(fps).size());
  }

  @Test
  void unknownSlotsAndBadNames() {
    FrontierSlot ghost = frontiers.get("nope").get("unknown.slot");
    assertEquals(List.of(), ghost.queue().list());
    assertEquals(List.of(), ghost.queue().list(100));
    assertEquals(List.of(), ghost.fingerprints().list());
    ghost.queue().delete("0015f77dd5c7800001"); // unknown batch of an unknown slot: not an error
    ghost.delete(); // a missing slot: not an error
    assertEquals(List.of(), frontiers.get("nope").list());
    assertTrue(requests(emu).stream().allMatch(q -> q.status() == 200), "none of that is an error");
    assertTrue(!frontiers.list().contains("nope"), "reading does not create a frontier");

    emu.resetFaults();
    assertThrows(IllegalArgumentException.class, () -> frontiers.get("a/b"));
    assertThrows(IllegalArgumentException.class, () -> frontiers.get("f").get(""));
    assertThrows(IllegalArgumentException.class, () -> frontiers.get("f").get("x/y"));
    assertThrows(IllegalArgumentException.class, () -> FrontierRequest.of(""));
    ValueTooLargeException e = assertThrows(ValueTooLargeException.class,
        () -> frontiers.get("f").get("s").queue().add(FrontierRequest.of("big").withQdata(Json.MAPPER.valueToTree("€".repeat(400_000)))));
    assertTrue(e.getMessage().contains("fp 'big'"), e.getMessage());
    assertEquals(0, frontiers.get("f").get("s").writer().report().pendingRecords());
    assertEquals(List.of(), requests(emu), "rejected before any request");
  }

  @Test
  void deletingASlotDiscardsItsBufferedAdditions() {
    FrontierSlot slot = frontiers.get("discard").get("s1");
    slot.queue().add(FrontierRequest.of("/a"));
    slot.flush();
    slot.queue().add(FrontierRequest.of("/b")); // buffered, not sent
    slot.delete();
    slot.flush();
    assertEquals(List.of(), slot.fingerprints().list(), "the buffered /b did not re-create the slot");
    assertEquals(List.of(), frontiers.get("discard").list());
  }

  @Test
  void faultsDuringAddsNeitherLoseNorDuplicateRequests() {
    frontiers.writerOptions(WriterOptions.frontierDefaults().withMaxRecords(100));
    String posts = "^/hcf/2222222/fr/s/site.com$";
    emu.faults().loseAckNext(1, "POST", posts);
    emu.faults().rule().method("POST").path(posts).truncateAfter(5).skip(1).times(1); // {"newcount":100} cut after 5 bytes
    emu.faults().rule().method("POST").path(posts).resetConnection().skip(2).times(1);
    emu.faults().rule().method("POST").path(posts).status(503).rate(0.2);
    emu.faults().rule().method("GET").path("^/hcf/2222222/fr/s/site.com/q$").status(503).rate(0.3);
    FrontierSlot slot = frontiers.get("fr").get("site.com");
    for (int i = 0; i < 550; i++) {
      slot.queue().add(FrontierRequest.of(String.format("fp%04d", i)));
    }
    WriteReport r = frontiers.close();
    assertEquals(550, r.records());
    assertEquals(6, r.batches());
    // Two batches were queued by the service but their answers were lost (dropped after handling,
    // truncated body); their re-sends found the fingerprints known and answered newcount 0. So
    // newcount under-counts by exactly those batches, while the queue itself is exact.
    assertEquals(1, emu.faults().injectedCount(FaultKind.RESET_AFTER_HANDLING));
    assertEquals(1, emu.faults().injectedCount(FaultKind.TRUNCATE));
    assertEquals(350, slot.newcount());
    List<String> fps = drain(slot, null);
    assertEquals(550, fps.size());
    assertEquals(550, new HashSet<>(fps).size());
    assertTrue(emu.faults().injectedCount(FaultKind.STATUS) > 0);
  }
}
