package io.scrapinghubio.beam.write;

import io.scrapinghubio.beam.failure.ScrapinghubFailure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.client.collections.StoreType;
import io.scrapinghubio.client.json.Json;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.fault.FaultKind;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code writeToCollection()} family and {@code deleteFromCollection()} end to end against the emulator, on the Direct runner. */
class WriteCollectionTest {
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(WriteFixture.KEY);

  private static long nextProject = 300;
  private long project;
  private ScrapyCloudEmulator emu;

  @BeforeEach
  void setUp() {
    emu = EMU.emulator();
    project = ++nextProject; // a fresh project per test: tests share one emulator
    emu.state().project(project); // requests never create a project
  }

  private WriteToCollection<String> write(String name) {
    return ScrapinghubIO.writeToCollection().withConnection(WriteFixture.connection(emu)).withProject(project)
        .to(StoreType.STORE, name);
  }

  private static void assertSameRecords(List<String> expected, Map<String, String> got) {
    assertEquals(expected.size(), got.size(), "records stored");
    for (String e : expected) {
      var n = Json.parse(e);
      String k = n.get("_key").asText();
      String g = got.get(k);
      if (g == null || !Json.parse(g).equals(n)) {
        throw new AssertionError("key " + k + ": expected " + e + " but read " + g);
      }
    }
  }

  @Test
  void writesThenReadsBackEveryRecordOfEveryInputKind() {
    List<String> json = WriteFixture.records(0, 25_000);
    Pipeline p = WriteFixture.direct();
    p.apply("Json", Create.of(json)).apply("WriteJson", write("json_records").withMaxBatchRecords(700));
    List<KV<String, String>> kvs = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      kvs.add(KV.of("kv" + i, "{\"v\":" + i + ",\"s\":\"x" + i + "\"}"));
    }
    p.apply("Kvs", Create.of(kvs).withCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())))
        .apply("WriteKvs", ScrapinghubIO.writeKVsToCollection().withConnection(WriteFixture.connection(emu)).withProject(project)
            .to(StoreType.VERSIONED_STORE, "kv_records"));
    List<Product> products = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      products.add(new Product("sku-" + i, "product " + i, i * 1.5));
    }
    p.apply("Objects", Create.of(products).withCoder(SerializableCoder.of(Product.class)))
        .apply("WriteObjects", ScrapinghubIO.<Product>writeObjectsToCollection(pr -> pr.sku)
            .withConnection(WriteFixture.connection(emu)).withProject(project).to(StoreType.CACHED_STORE, "products"));
    PipelineResult r = p.run();
    r.waitUntilFinish();

    assertSameRecords(json, WriteFixture.readCollection(emu, project, StoreType.STORE, "json_records"));
    Map<String, String> kvBack = WriteFixture.readCollection(emu, project, StoreType.VERSIONED_STORE, "kv_records");
    assertEquals(3000, kvBack.size());
    assertEquals(Json.parse("{\"_key\":\"kv42\",\"v\":42,\"s\":\"x42\"}"), Json.parse(kvBack.get("kv42")));
    Map<String, String> prBack = WriteFixture.readCollection(emu, project, StoreType.CACHED_STORE, "products");
    assertEquals(2000, prBack.size());
    assertEquals(Json.parse("{\"_key\":\"sku-7\",\"sku\":\"sku-7\",\"name\":\"product 7\",\"price\":10.5}"), Json.parse(prBack.get("sku-7")));

    assertEquals(30_000, WriteFixture.counter(r, "write_records"));
    assertEquals(0, WriteFixture.counter(r, "write_failed_records"));
    // batches of at most 700 records for the JSON collection
    emu.requestLog().matching("POST", "^/collections/" + project + "/s/json_records$")
        .forEach(req -> assertTrue(req.bodyText().split("\n").length <= 700, "batch size"));
    assertTrue(WriteFixture.counter(r, "write_batches") >= 25_000 / 700);
  }

  @Test
  void oversizedKeylessAndInvalidRecordsGoToTheErrorHandlerAndEverythingElseIsWritten() {
    List<String> good = WriteFixture.records(0, 5000);
    List<String> input = new ArrayList<>(good);
    String big = "{\"_key\":\"big\",\"blob\":\"" + "\u00e9".repeat(600_000) + "\"}"; // 600k chars, 1.2 MB in UTF-8
    input.add(big);
    input.add("{\"n\":1,\"no\":\"key\"}");
    input.add("{\"_key\":\"\",\"n\":2}");
    input.add("not json");
    input.add("[1,2,3]");
    Pipeline p = WriteFixture.direct();
    try (BadRecordErrorHandler<?> h = WriteFixture.handler(p, "mixed")) {
      p.apply(Create.of(input)).apply(write("mixed").withBadRecordErrorHandler(h));
    }
    PipelineResult r = p.run();
    r.waitUntilFinish();

    assertSameRecords(good, WriteFixture.readCollection(emu, project, StoreType.STORE, "mixed"));
    Map<ScrapinghubFailure.Kind, Long> kinds = WriteFixture.collected("mixed").stream()
        .collect(Collectors.groupingBy(FailedRecord::kind, Collectors.counting()));
    assertEquals(Map.of(ScrapinghubFailure.Kind.VALUE_TOO_LARGE, 1L, ScrapinghubFailure.Kind.MISSING_KEY, 2L, ScrapinghubFailure.Kind.INVALID_RECORD, 2L), kinds);
    FailedRecord tooBig = WriteFixture.collected("mixed").stream().filter(f -> f.kind() == ScrapinghubFailure.Kind.VALUE_TOO_LARGE)
        .findFirst().orElseThrow();
    assertEquals(big, tooBig.record(), "the failed record is kept whole for the dead-letter sink");
    assertTrue(tooBig.message().contains("1048576"), tooBig.message());
    assertEquals("collection s/mixed", tooBig.location());
    assertEquals(-1, tooBig.status());
    assertEquals(5, WriteFixture.counter(r, "write_failed_records"));
    assertEquals(1, WriteFixture.counter(r, "write_failed_value_too_large"));
  }

  @Test
  void recordsTheServiceRefusesAreIsolatedBySplittingTheBatch() {
    // Without the client's checks the keyless and the oversized record reach the service, which
    // refuses their whole batch (400 / 413); halving isolates them and the rest is written.
    List<String> good = WriteFixture.records(0, 3000);
    List<String> input = new ArrayList<>(good);
    input.add(1234, "{\"n\":\"keyless\"}");
    input.add(2345, "{\"_key\":\"huge\",\"blob\":\"" + "x".repeat(1_100_000) + "\"}");
    Pipeline p = WriteFixture.direct();
    try (BadRecordErrorHandler<?> h = WriteFixture.handler(p, "refused")) {
      p.apply(Create.of(input)).apply(write("refused").withMaxBatchRecords(500).withoutClientChecks().withBadRecordErrorHandler(h));
    }
    PipelineResult r = p.run();
    r.waitUntilFinish();

    assertSameRecords(good, WriteFixture.readCollection(emu, project, StoreType.STORE, "refused"));
    Map<Integer, ScrapinghubFailure.Kind> byStatus = new HashMap<>();
    WriteFixture.collected("refused").forEach(f -> byStatus.put(f.status(), f.kind()));
    assertEquals(Map.of(400, ScrapinghubFailure.Kind.BAD_REQUEST, 413, ScrapinghubFailure.Kind.VALUE_TOO_LARGE), byStatus);
    assertTrue(WriteFixture.counter(r, "write_batch_splits") > 0);
  }

  @Test
  void withoutAHandlerABadRecordStopsThePipelineNamingTheRecord() {
    Pipeline p = WriteFixture.direct();
    p.apply(Create.of(List.of(WriteFixture.record(1), "{\"no\":\"key\"}")))
        .apply(write("strict"));
    Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    String all = causes(e);
    assertTrue(all.contains("MISSING_KEY writing to collection s/strict") && all.contains("{\"no\":\"key\"}")
        && all.contains("withBadRecordErrorHandler(handler)"), all);
    assertFalse(all.contains(WriteFixture.KEY), "no API key in the failure");
  }

  /** A record the service refuses (no client checks), without a handler, fails the pipeline naming it and the status. */
  @Test
  void withoutAHandlerARecordTheServiceRefusesStopsThePipelineNamingItAndTheStatus() {
    Pipeline p = WriteFixture.direct();
    p.apply(Create.of(List.of(WriteFixture.record(1), "{\"n\":\"keyless\"}")))
        .apply(write("strict_service").withoutClientChecks());
    Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    String all = causes(e);
    assertTrue(all.contains("BAD_REQUEST writing to collection s/strict_service (HTTP 400)") && all.contains("keyless"), all);
    assertFalse(all.contains(WriteFixture.KEY), "no API key in the failure");
  }

  @Test
  void aNullHandlerIsRefusedAtOnce() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> write("x").withBadRecordErrorHandler(null));
    assertTrue(e.getMessage().contains("withBadRecordErrorHandler(handler) needs a handler"), e.getMessage());
  }

  @Test
  void injectedThrottlingServerErrorsAndResetsLoseAndDoubleNothing() {
    List<String> json = WriteFixture.records(0, 40_000);
    String path = "^/collections/" + project + "/";
    emu.faults().rule().path(path).status(429).retryAfter(0).rate(0.08);
    emu.faults().rule().path(path).status(503).retryAfter(0).rate(0.05);
    emu.faults().rule().path(path).status(500).rate(0.05);
    emu.faults().rule().path(path).status(502).rate(0.03);
    emu.faults().rule().path(path).resetConnection().rate(0.05);
    Pipeline p = WriteFixture.direct();
    p.apply(Create.of(json)).apply(write("faulty").withMaxBatchRecords(250).withMaxUploadsInFlight(6));
    PipelineResult r = p.run();
    r.waitUntilFinish();
    assertTrue(emu.faults().injectedCount(FaultKind.STATUS) > 0 && emu.faults().injectedCount(FaultKind.RESET) > 0);
    emu.resetFaults();

    assertSameRecords(json, WriteFixture.readCollection(emu, project, StoreType.STORE, "faulty"));
    assertTrue(WriteFixture.counter(r, "write_retries_429") > 0, "429 retried");
    assertEquals(40_000, WriteFixture.counter(r, "write_records"));
  }

  /** Fails the first attempt of the pipeline after its first uploads were acknowledged. */
  static final AtomicBoolean FAIL_ONCE = new AtomicBoolean();

  @Test
  void aBundleFailedAfterUploadAndRetriedLeavesTheCollectionExact() {
    List<Product> products = new ArrayList<>();
    for (int i = 0; i < 12_000; i++) {
      products.add(new Product("sku-" + i, "product " + i, i));
    }
    // Attempt 1: the key function throws at sku-9000, after batches of 500 were acknowledged.
    FAIL_ONCE.set(true);
    Pipeline p1 = WriteFixture.direct();
    p1.apply(Create.of(products).withCoder(SerializableCoder.of(Product.class))).apply(writeProducts("retried"));
    assertThrows(Exception.class, () -> p1.run().waitUntilFinish());
    int partial = WriteFixture.readCollection(emu, project, StoreType.STORE, "retried").size();
    assertTrue(partial > 0 && partial < 12_000, "attempt 1 stored some batches before failing: " + partial);

    // Attempt 2 (what the runner does with the failed bundle): the same records again.
    Pipeline p2 = WriteFixture.direct();
    p2.apply(Create.of(products).withCoder(SerializableCoder.of(Product.class))).apply(writeProducts("retried"));
    p2.run().waitUntilFinish();
    Map<String, String> got = WriteFixture.readCollection(emu, project, StoreType.STORE, "retried");
    assertEquals(12_000, got.size());
    for (Product pr : products) {
      assertEquals(Json.parse("{\"_key\":\"" + pr.sku + "\",\"sku\":\"" + pr.sku + "\",\"name\":\"" + pr.name + "\",\"price\":" + pr.price + "}"),
          Json.parse(got.get(pr.sku)));
    }
  }

  private WriteToCollection<Product> writeProducts(String name) {
    return ScrapinghubIO.<Product>writeObjectsToCollection(WriteCollectionTest::keyFailingOnce)
        .withConnection(WriteFixture.connection(emu)).withProject(project).to(StoreType.STORE, name)
        .withMaxBatchRecords(500).withMaxUploadsInFlight(2);
  }

  static String keyFailingOnce(Product p) {
    if (p.sku.equals("sku-9000") && FAIL_ONCE.compareAndSet(true, false)) {
      throw new IllegalStateException("injected failure after some uploads");
    }
    return p.sku;
  }

  @Test
  void deletesKeysAndReportsEmptyOnes() {
    List<String> json = WriteFixture.records(0, 6000);
    Pipeline p1 = WriteFixture.direct();
    p1.apply(Create.of(json)).apply(write("to_prune"));
    p1.run().waitUntilFinish();

    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 6000; i += 2) {
      keys.add(WriteFixture.key(i));
    }
    keys.add("never-stored");
    keys.add("");
    Pipeline p2 = WriteFixture.direct();
    try (BadRecordErrorHandler<?> h = WriteFixture.handler(p2, "deletes")) {
      p2.apply(Create.of(keys)).apply(ScrapinghubIO.deleteFromCollection().withConnection(WriteFixture.connection(emu))
          .withProject(project).from(StoreType.STORE, "to_prune").withMaxBatchRecords(400).withBadRecordErrorHandler(h));
    }
    PipelineResult r = p2.run();
    r.waitUntilFinish();

    Map<String, String> left = WriteFixture.readCollection(emu, project, StoreType.STORE, "to_prune");
    assertEquals(3000, left.size());
    for (int i = 1; i < 6000; i += 2) {
      assertTrue(left.containsKey(WriteFixture.key(i)));
    }
    assertEquals(1, WriteFixture.collected("deletes").size());
    assertEquals(ScrapinghubFailure.Kind.MISSING_KEY, WriteFixture.collected("deletes").get(0).kind());
    assertEquals(3001, WriteFixture.counter(r, "delete_records"));
  }

  static String causes(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      b.append(t).append(" | ");
    }
    return b.toString();
  }

  /** A user type bound with Jackson. */
  public static final class Product implements Serializable {
    private static final long serialVersionUID = 1L;
    @JsonProperty public String sku;
    @JsonProperty public String name;
    @JsonProperty public double price;

    public Product() {}

    Product(String sku, String name, double price) {
      this.sku = sku;
      this.name = name;
      this.price = price;
    }
  }
}
