package io.scrapinghubio.beam.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.client.collections.StoreType;
import io.scrapinghubio.client.frontier.FrontierRequest;
import java.time.Duration;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.junit.jupiter.api.Test;

/** Construction-time validation, display data and the default slot function. */
class WriteValidationTest {
  private static final String SECRET = "feedfacefeedfacefeedfacefeedface";

  private static void rejects(String fragment, org.junit.jupiter.api.function.Executable e) {
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
    assertTrue(x.getMessage().contains(fragment), "message '" + x.getMessage() + "' should mention '" + fragment + "'");
  }

  @Test
  void badValuesAreRejectedAtOnceNamingThem() {
    var w = ScrapinghubIO.writeToCollection();
    rejects("'bad-name'", () -> w.to(StoreType.STORE, "bad-name"));
    rejects("'null'", () -> w.to(StoreType.STORE, null));
    rejects("store type", () -> w.to(null, "ok"));
    rejects("-3", () -> w.withProject(-3));
    rejects("0", () -> w.withProject(0));
    rejects("0", () -> w.withMaxBatchRecords(0));
    rejects("100", () -> w.withMaxBatchBytes(100));
    rejects("65", () -> w.withMaxUploadsInFlight(65));
    rejects("0", () -> w.withShards(0));
    rejects("PT0S", () -> w.withMaxBufferingDuration(Duration.ZERO));
    rejects("null", () -> w.withBadRecordErrorHandler(null));
    rejects("'a/b'", () -> ScrapinghubIO.writeToFrontier().to("a/b"));
    rejects("''", () -> ScrapinghubIO.writeToFrontier().to(""));
    rejects("0", () -> FrontierSlots.byHost(0));
    rejects("'x/y'", () -> FrontierSlots.single("x/y"));
    rejects("'no space'", () -> ScrapinghubIO.deleteFromCollection().from(StoreType.STORE, "no space"));
    rejects("null", () -> ScrapinghubIO.writeObjectsToCollection(null));
    rejects("connection", () -> w.withConnection(null));
  }

  @Test
  void missingTargetOrProjectIsReportedWhenApplied() {
    Pipeline p = Pipeline.create();
    var in = p.apply(Create.of("{\"_key\":\"a\"}"));
    rejects("to(storeType, name)", () -> in.apply("a", ScrapinghubIO.writeToCollection().withProject(1)));
    rejects("ScrapinghubIO.writeToCollection() needs withProject(id)",
        () -> in.apply("b", ScrapinghubIO.writeToCollection().to(StoreType.STORE, "c")));
    rejects("ScrapinghubIO.writeToFrontier() needs withProject(id)", () -> in.apply("e", ScrapinghubIO.writeToFrontier().to("f")));
    rejects("to(frontierName)", () -> in.apply("c", ScrapinghubIO.writeToFrontier().withProject(1)));
    rejects("from(storeType, name)", () -> in.apply("d", ScrapinghubIO.deleteFromCollection().withProject(1)));
  }

  @Test
  void specsAreImmutable() {
    var a = ScrapinghubIO.writeToCollection().withProject(1).to(StoreType.STORE, "c");
    var b = a.withMaxBatchRecords(10);
    assertEquals(1000, a.config().maxBatchRecords());
    assertEquals(10, b.config().maxBatchRecords());
    assertEquals(5000, ScrapinghubIO.writeToFrontier().config().maxBatchRecords());
  }

  @Test
  void displayDataShowsTheTargetButNeverTheKey() {
    ScrapinghubConnection conn = ScrapinghubIO.connection().withApiKey(SECRET).withStorageEndpoint("http://127.0.0.1:9/");
    for (var t : java.util.List.of(
        ScrapinghubIO.writeToCollection().withConnection(conn).withProject(7).to(StoreType.VERSIONED_STORE, "dedup"),
        ScrapinghubIO.writeToFrontier().withConnection(conn.withApiKey(SECRET)).withProject(7).to("links"),
        ScrapinghubIO.deleteFromCollection().withConnection(conn).withProject(7).from(StoreType.STORE, "dedup"))) {
      DisplayData d = DisplayData.from(t);
      Map<String, Object> items = new java.util.HashMap<>();
      d.items().forEach(i -> items.put(i.getKey(), i.getValue()));
      assertEquals(7L, ((Number) items.get("project")).longValue());
      assertEquals("http://127.0.0.1:9/", items.get("storageEndpoint"));
      assertTrue(items.containsKey("maxBatchRecords") && items.containsKey("maxUploadsInFlight"));
      assertFalse(d.toString().contains(SECRET), "the API key leaked into display data: " + d);
      assertFalse(d.toString().contains(SECRET.substring(0, 12)));
    }
    DisplayData c = DisplayData.from(ScrapinghubIO.writeToCollection().withProject(7).to(StoreType.VERSIONED_STORE, "dedup"));
    assertTrue(c.toString().contains("dedup") && c.toString().contains("vs"), c.toString());
  }

  @Test
  void defaultSlotIsTheLowerCasedHostOrAStableHashSlot() {
    var slot = FrontierSlots.byHost(16);
    assertEquals("shop.example.com", slot.apply(FrontierRequest.of("https://user@Shop.Example.COM:8443/a?b#c")));
    assertEquals("example.org", slot.apply(FrontierRequest.of("http://example.org.")));
    assertEquals("[::1]", slot.apply(FrontierRequest.of("http://[::1]:8080/x")));
    String h = slot.apply(FrontierRequest.of("not a url"));
    assertEquals(Integer.toString(Math.floorMod("not a url".hashCode(), 16)), h);
    assertEquals(h, FrontierSlots.byHost(16).apply(FrontierRequest.of("not a url")));
    assertEquals("only", FrontierSlots.single("only").apply(FrontierRequest.of("x")));
  }
}
