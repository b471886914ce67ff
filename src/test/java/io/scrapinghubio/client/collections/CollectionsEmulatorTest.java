package io.scrapinghubio.client.collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.scrapinghubio.client.ClientConfig;
import io.scrapinghubio.client.ReadFormat;
import io.scrapinghubio.client.RetryPolicy;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.errors.NotFoundException;
import io.scrapinghubio.client.frontier.FrontierRequest;
import io.scrapinghubio.client.frontier.FrontierSlot;
import io.scrapinghubio.client.frontier.QueueBatch;
import io.scrapinghubio.client.write.BatchWriter;
import io.scrapinghubio.client.write.WriterOptions;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The collections, frontier, activity and settings clients against the project's emulator (with its fault plan). */
class CollectionsEmulatorTest {
  static final String KEY = "e".repeat(32);
  ScrapyCloudEmulator emu;
  ScrapinghubClient client;

  @BeforeEach
  void setUp() {
    emu = ScrapyCloudEmulator.builder().apiKey(KEY).start();
    client = ScrapinghubClient.create(ClientConfig.builder().apiKey(KEY).storageEndpoint(emu.storageUrl()).dashEndpoint(emu.dashUrl())
        .retryPolicy(RetryPolicy.of(6, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofSeconds(30))).build());
  }

  @AfterEach
  void tearDown() {
    client.close();
    emu.close();
  }

  @Test
  void collectionRoundTripUnderWriteFaults() {
    Collection c = client.getProject(2222222).collections().getStore("emu_col");
    emu.faults().failNext(2, 503, "POST", ".*/collections/.*");
    emu.faults().resetNext(1);
    BatchWriter<Object> w = c.writer(WriterOptions.defaults().withMaxRecords(100));
    for (int i = 0; i < 350; i++) {
      w.write(Map.of("_key", String.format("k%04d", i), "n", i));
    }
    assertEquals(350, w.close().records());
    List<CollectionRecord> all = c.list(ScanOptions.all().pageSize(60));
    assertEquals(350, all.size());
    assertEquals(350, new HashSet<>(all.stream().map(CollectionRecord::key).toList()).size());
    assertEquals(350, c.count());
    assertEquals(7, c.get("k0007").get("n").asInt());
    assertEquals(7, c.get("k0007", ReadFormat.MSGPACK).get("n").asInt());
    c.delete(List.of("k0000", "k0001"));
    assertThrows(NotFoundException.class, () -> c.get("k0000"));
    assertEquals(348, c.count());
    assertEquals(10, c.list(ScanOptions.all().prefix("k001")).size());
    c.truncate();
    assertEquals(0, c.count());
  }

  @Test
  void frontierActivitySettings() {
    FrontierSlot s = client.getProject(2222222).frontiers().get("emu_fr").get("site.com");
    emu.faults().failNext(1, 503, "POST", ".*/hcf/.*");
    List<FrontierRequest> rs = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      rs.add(FrontierRequest.of("/p" + i));
    }
    s.queue().add(rs);
    s.queue().add(FrontierRequest.of("/p1"));
    s.flush();
    assertEquals(250, s.newcount());
    // consume as a crawler does: read batches, delete them, until the queue is empty
    // (how many batches one read returns is the server's choice)
    List<String> fps = new ArrayList<>();
    for (List<QueueBatch> bs = s.queue().list(); !bs.isEmpty(); bs = s.queue().list()) {
      bs.forEach(b -> b.requests().forEach(q -> fps.add(q.fp())));
      s.queue().delete(bs.stream().map(QueueBatch::id).toList());
    }
    assertEquals(250, fps.size());
    assertEquals(250, new HashSet<>(fps).size());
    s.delete();
    assertEquals(List.of(), s.queue().list());

    var act = client.getProject(2222222).activity();
    act.add(Map.of("event", "job:started", "job", "2222222/1/1", "user", "u"));
    assertEquals("job:started", act.list(1).get(0).get("event").asText());

    var st = client.getProject(2222222).settings();
    st.set("job_runtime_limit", 24);
    assertEquals(24, st.get("job_runtime_limit").orElseThrow().asInt());
    st.delete("job_runtime_limit");
    assertEquals(false, st.get("job_runtime_limit").isPresent());
    assertEquals(true, client.projects().summary().size() >= 0);
  }
}
