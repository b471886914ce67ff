package io.scrapinghubio.beam.rows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.beam.ScrapinghubRead;
import io.scrapinghubio.beam.read.Collected;
import io.scrapinghubio.beam.read.ReadFixture;
import io.scrapinghubio.beam.read.ScrapinghubIOReadTest;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.BadRecordsSink;
import io.scrapinghubio.client.errors.NotFoundException;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import io.scrapinghubio.emulator.store.JobState;
import io.scrapinghubio.emulator.store.ProjectState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code read().asRows()} (schema inference), {@code withBadRecordErrorHandler()} and failing fast without it,
 * end to end against the emulator on the Direct runner, over items written here with every shape
 * the inference has a rule for.
 */
class ReadRowsTest {
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(ReadFixture.KEY);

  private static long nextProject = 700;
  private long project;
  private ScrapyCloudEmulator emu;

  @BeforeEach
  void setUp() {
    emu = EMU.emulator();
    project = ++nextProject;
  }

  private ScrapinghubRead<ScrapinghubRecord> read() {
    return ScrapinghubIO.read().withConnection(ReadFixture.connection(emu)).withProject(project);
  }

  private String job(String spider, String state, List<String> tags, String... items) {
    ProjectState p = emu.state().project(project);
    JobState job = p.createJob(p.addSpider(spider), state, tags, 2, 1, Map.of(), ProjectState.Origin.DASH);
    if (items.length > 0) {
      emu.state().appendItems(job.key(), List.of(items));
    }
    return job.key();
  }

  private static Field json(String name) {
    return RowSchemas.jsonField(name);
  }

  private static Schema row(Field... fields) {
    return Schema.builder().addFields(fields).build();
  }

  /** Every rule of the inference, and the rows read back with the inferred schema. */
  @Test
  void infersTheDocumentedSchemaFromHeterogeneousItems() {
    String a = job("shop", "finished", List.of(),
        "{\"name\":\"a\",\"price\":1,\"offer\":{\"qty\":1,\"unit\":\"kg\"},\"tags\":[\"x\",\"y\"],\"sizes\":[1,2],"
            + "\"prix €\":\"été\",\"nothing\":null,\"mixed\":\"text\",\"jumble\":[1,\"a\"],\"ok\":true,"
            + "\"huge\":12345678901234567890,\"empty\":{},\"none\":[]}",
        "{\"name\":\"b\",\"price\":2.5,\"offer\":{\"qty\":2.5},\"mixed\":{\"k\":1},\"only_b\":3}");
    String b = job("shop", "finished", List.of(),
        "{\"name\":\"c\",\"price\":3,\"offer\":{\"lots\":[{\"n\":1},{\"n\":2,\"m\":\"z\"}]},\"sizes\":[3.5,null],\"\":\"nameless\","
            + "\"_job\":\"an item's own\",\"ok\":null}");
    ScrapinghubRead<Row> rows = read().asRows();
    Schema s = rows.inferSchema();

    Schema lot = row(Field.nullable("m", FieldType.STRING), Field.nullable("n", FieldType.INT64));
    Schema offer = row(
        Field.nullable("lots", FieldType.array(FieldType.row(lot).withNullable(true))),
        Field.nullable("qty", FieldType.DOUBLE),
        Field.nullable("unit", FieldType.STRING));
    Schema expected = row(
        Field.nullable("_key", FieldType.STRING),
        Field.nullable("_job", FieldType.STRING),
        json("empty"),
        Field.nullable("huge", FieldType.DOUBLE),
        json("jumble"),
        json("mixed"),
        Field.nullable("name", FieldType.STRING),
        Field.nullable("none", FieldType.array(FieldType.STRING.withNullable(true))),
        Field.nullable("nothing", FieldType.STRING),
        Field.nullable("offer", FieldType.row(offer)),
        Field.nullable("ok", FieldType.BOOLEAN),
        Field.nullable("only_b", FieldType.INT64),
        Field.nullable("price", FieldType.DOUBLE),
        Field.nullable("prix €", FieldType.STRING),
        Field.nullable("sizes", FieldType.array(FieldType.DOUBLE.withNullable(true))),
        Field.nullable("tags", FieldType.array(FieldType.STRING.withNullable(true))));
    assertEquals(expected, s, () -> "got\n" + RowSchemas.describe(s));
    assertTrue(RowSchemas.holdsJson(s.getField("mixed")));
    assertTrue(RowSchemas.holdsJson(s.getField("jumble")));
    assertTrue(RowSchemas.holdsJson(s.getField("empty")));
    assertFalse(RowSchemas.holdsJson(s.getField("name")));
    // one instance infers once: the second call returns the same schema without sampling again
    long requests = emu.requestLog().matching("GET", "^/items/.*").size();
    assertEquals(s, rows.inferSchema());
    assertEquals(requests, emu.requestLog().matching("GET", "^/items/.*").size());

    Pipeline p = ScrapinghubIOReadTest.pipeline();
    p.apply(rows).apply(Collected.into("rows"));
    p.run().waitUntilFinish();
    Map<String, Row> byKey = new HashMap<>();
    Collected.counts("rows").keySet().forEach(o -> byKey.put(((Row) o).getString("_key"), (Row) o));
    assertEquals(3, byKey.size());

    Row a0 = byKey.get(a + "/0");
    assertEquals(a, a0.getString("_job"));
    assertEquals(1.0, a0.getDouble("price"));
    assertEquals("été", a0.getString("prix €"));
    assertEquals("\"text\"", a0.getString("mixed"), "mixed values are JSON text");
    assertEquals("[1,\"a\"]", a0.getString("jumble"));
    assertEquals("{}", a0.getString("empty"));
    assertEquals(1.2345678901234567E19, a0.getDouble("huge"));
    assertEquals(List.of(1.0, 2.0), List.copyOf(a0.getArray("sizes")));
    assertEquals(List.of("x", "y"), List.copyOf(a0.getArray("tags")));
    assertEquals(List.of(), List.copyOf(a0.getArray("none")));
    assertEquals(Row.withSchema(offer).addValues(null, 1.0, "kg").build(), a0.getRow("offer"));
    assertNull(a0.getString("nothing"));
    assertTrue(a0.getBoolean("ok"));

    Row a1 = byKey.get(a + "/1");
    assertEquals("{\"k\":1}", a1.getString("mixed"));
    assertEquals(3L, a1.getInt64("only_b"));
    assertEquals(2.5, a1.getDouble("price"));
    assertNull(a1.getArray("tags"), "missing fields are null");

    Row b0 = byKey.get(b + "/0");
    assertEquals(b, b0.getString("_job"), "the record's lineage replaces an item's own _job");
    List<Row> lots = List.copyOf(b0.getRow("offer").getArray("lots"));
    assertEquals(Row.withSchema(lot).addValues("z", 2L).build(), lots.get(1));
    List<Double> sizes = new ArrayList<>(b0.getArray("sizes"));
    assertEquals(3.5, sizes.get(0));
    assertNull(sizes.get(1));
    assertNull(b0.getBoolean("ok"));
  }

  @Test
  void sqlSafeNamesAreRenamedAndStillReadFromTheItemsFields() {
    String j = job("shop", "finished", List.of(),
        "{\"prix €\":1.5,\"prix\":2,\"été\":\"x\",\"名前\":\"n\",\"a-b\":{\"c d\":1},\"ok_1\":true}");
    ScrapinghubRead<Row> rows = read().asRows().withSqlSafeFieldNames();
    Schema s = rows.inferSchema();
    assertEquals(List.of("_key", "_job", "a_b", "ok_1", "prix", "prix_2", "ete", "f"), s.getFieldNames());
    assertEquals(List.of("c_d"), s.getField("a_b").getType().getRowSchema().getFieldNames());
    assertEquals("prix €", RowSchemas.itemFieldName(s.getField("prix_2")));
    assertEquals("prix", RowSchemas.itemFieldName(s.getField("prix")));
    assertEquals(List.of("_key", "_job", "a-b", "ok_1", "prix", "prix €", "été", "名前"),
        read().asRows().inferSchema().getFieldNames(), "names are kept by default");

    Pipeline p = ScrapinghubIOReadTest.pipeline();
    p.apply(rows).apply(Collected.into("safe"));
    p.run().waitUntilFinish();
    Row r = (Row) Collected.counts("safe").keySet().iterator().next();
    assertEquals(j + "/0", r.getString("_key"));
    assertEquals(1.5, r.getDouble("prix_2"));
    assertEquals(2L, r.getInt64("prix"));
    assertEquals("x", r.getString("ete"));
    assertEquals("n", r.getString("f"));
    assertEquals(1L, r.getRow("a_b").getInt64("c_d"));
  }

  @Test
  void objectsNestedDeeperThanTheLimitAreJsonText() {
    StringBuilder deep = new StringBuilder("{\"v\":1}");
    for (int i = 0; i < RowSchemas.MAX_ROW_DEPTH + 2; i++) {
      deep.insert(0, "{\"d\":").append('}');
    }
    job("shop", "finished", List.of(), "{\"top\":" + deep + "}");
    Schema s = read().asRows().inferSchema();
    FieldType t = s.getField("top").getType();
    int depth = 0;
    while (t.getTypeName() == Schema.TypeName.ROW) {
      Field d = t.getRowSchema().getField("d");
      if (RowSchemas.holdsJson(d)) {
        break;
      }
      t = d.getType();
      depth++;
    }
    assertEquals(RowSchemas.MAX_ROW_DEPTH - 2, depth, RowSchemas.describe(s));
  }

  /** The first 10 items give the schema; the 3 after them do not fit it. */
  private String jobWithBadTail() {
    List<String> items = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      items.add("{\"id\":" + i + ",\"price\":" + (i + 0.5) + ",\"offer\":{\"unit\":\"kg\"},\"tags\":[\"t" + i + "\"]}");
    }
    items.add("{\"id\":10,\"price\":\"cheap\"}");
    items.add("{\"id\":11,\"price\":1.5,\"offer\":{\"unit\":{\"deeper\":\"than the schema\"}}}");
    items.add("{\"id\":12,\"tags\":[\"ok\",7]}");
    return job("shop", "finished", List.of(), items.toArray(new String[0]));
  }

  private void failuresLandInTheFailureOutputOnly(boolean dynamicSplitting) {
    String j = jobWithBadTail();
    ScrapinghubRead<Row> rows = read().asRows().withSchemaSampleRecords(10).withChunkItems(4);
    if (dynamicSplitting) {
      rows = rows.withDynamicSplitting();
    }
    Pipeline p = ScrapinghubIOReadTest.pipeline();
    String tag = dynamicSplitting ? "sdf" : "chunk";
    try (BadRecordErrorHandler<?> handler = BadRecordsSink.register(p, tag + "-failures")) {
      p.apply(rows.withBadRecordErrorHandler(handler)).apply(Collected.into(tag + "-rows"));
    }
    PipelineResult result = p.run();
    result.waitUntilFinish();

    List<String> keys = new ArrayList<>();
    Collected.counts(tag + "-rows").keySet().forEach(o -> keys.add(((Row) o).getString("_key")));
    keys.sort(null);
    List<String> expectedKeys = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      expectedKeys.add(j + "/" + i);
    }
    expectedKeys.sort(null);
    assertEquals(expectedKeys, keys, "the good records, each once, and no bad one");
    Map<String, BadRecord> failures = byKey(tag + "-failures");
    assertEquals(3, failures.size(), failures::toString);
    BadRecord price = failures.get(j + "/10");
    assertConversion(price, j + "/10", j, "field 'price': expected DOUBLE, found string \"cheap\"");
    assertEquals("{\"id\":10,\"price\":\"cheap\"}", price.getRecord().getHumanReadableJsonRecord());
    assertEquals("{\"id\":10,\"price\":\"cheap\"}", BadRecordsSink.readRecord(price).json(), "the record as stored, decodable");
    assertConversion(failures.get(j + "/11"), j + "/11", j, "field 'offer.unit': expected STRING, found an object");
    assertConversion(failures.get(j + "/12"), j + "/12", j, "field 'tags[1]': expected STRING, found integer 7");
    assertEquals(10, ScrapinghubIOReadTest.counter(result, "read_records"));
    assertEquals(3, ScrapinghubIOReadTest.counter(result, "read_records_failed"));
  }

  /** The bad records routed to {@code sink}, by the key of the record each holds; each once. */
  static Map<String, BadRecord> byKey(String sink) {
    Map<String, BadRecord> out = new HashMap<>();
    for (BadRecord b : BadRecordsSink.get(sink)) {
      assertNull(out.put(BadRecordsSink.readRecord(b).key(), b), () -> "routed twice: " + b);
    }
    return out;
  }

  /** A conversion failure says its kind, the record's key, its job and the reason, in the description and the exception. */
  static void assertConversion(BadRecord b, String key, String job, String reason) {
    ScrapinghubRecord r = BadRecordsSink.readRecord(b);
    assertEquals(key, r.key());
    assertEquals(job, r.jobKey());
    assertEquals("CONVERSION: record " + key + " of job " + job + ": " + reason, b.getFailure().getDescription());
    String e = b.getFailure().getException();
    assertTrue(e.contains("CONVERSION: record " + key + " of job " + job + " cannot be converted to Row ") && e.endsWith(": " + reason), e);
    assertTrue(b.getFailure().getExceptionStacktrace().contains("IllegalStateException"), b.getFailure().getExceptionStacktrace());
    assertNoKey(b);
  }

  /** A bad record is meant to be stored and shown: the API key is in none of its parts. */
  static void assertNoKey(BadRecord b) {
    for (String part : List.of(b.toString(), b.getRecord().getHumanReadableJsonRecord(), b.getRecord().getCoder(),
        new String(b.getRecord().getEncodedRecord(), java.nio.charset.StandardCharsets.ISO_8859_1),
        b.getFailure().getException(), b.getFailure().getExceptionStacktrace(), b.getFailure().getDescription())) {
      assertFalse(part.contains(ReadFixture.KEY), part);
    }
  }

  @Test
  void conversionFailuresLandInTheErrorHandlerOnly() {
    failuresLandInTheFailureOutputOnly(false);
  }

  @Test
  void conversionFailuresLandInTheErrorHandlerOnlyWithDynamicSplitting() {
    failuresLandInTheFailureOutputOnly(true);
  }

  @Test
  void thePlainReadFailsOnARecordThatDoesNotConvertNamingItsKeyAndTheReason() {
    String j = jobWithBadTail();
    Pipeline p = ScrapinghubIOReadTest.pipeline();
    p.apply(read().asRows().withSchemaSampleRecords(10).withChunkItems(100));
    Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    String all = messages(e);
    assertTrue(all.matches("(?s).*CONVERSION: record " + j + "/1[012] of job " + j + " cannot be converted.*"), all);
    assertTrue(all.contains("withBadRecordErrorHandler(handler)"), all);
  }

  @Test
  void theReadWithItsResultFailsTooWithoutAHandler() {
    String j = jobWithBadTail();
    Pipeline p = ScrapinghubIOReadTest.pipeline();
    p.apply(read().asRows().withSchemaSampleRecords(10).withResult());
    Exception e = assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    assertTrue(messages(e).contains("record " + j + "/1"), messages(e));
  }

  @Test
  void aNullHandlerIsRefusedAtOnce() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read().withBadRecordErrorHandler(null));
    assertTrue(e.getMessage().contains("read().withBadRecordErrorHandler(handler) needs a handler"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ScrapinghubIO.readAll().withBadRecordErrorHandler(null));
    assertTrue(e.getMessage().contains("readAll().withBadRecordErrorHandler(handler) needs a handler"), e.getMessage());
  }

  @Test
  void givenSchemaRoutesFailuresToo() {
    String j = jobWithBadTail();
    Schema schema = Schema.builder().addNullableField("_key", FieldType.STRING).addInt64Field("id")
        .addNullableField("price", FieldType.DOUBLE).build();
    Pipeline p = ScrapinghubIOReadTest.pipeline();
    try (BadRecordErrorHandler<?> handler = BadRecordsSink.register(p, "given-failures")) {
      p.apply(read().asRows(schema).withBadRecordErrorHandler(handler)).apply(Collected.into("given-rows"));
    }
    p.run().waitUntilFinish();
    assertEquals(12, Collected.counts("given-rows").size());
    Map<String, BadRecord> f = byKey("given-failures");
    assertEquals(1, f.size());
    assertConversion(f.get(j + "/10"), j + "/10", j, "field 'price': expected DOUBLE, found string \"cheap\"");
  }

  @Test
  void readAllRoutesFailuresToo() {
    String j = jobWithBadTail();
    Schema schema = read().asRows().withSchemaSampleRecords(10).inferSchema();
    Pipeline p = ScrapinghubIOReadTest.pipeline();
    try (BadRecordErrorHandler<?> handler = BadRecordsSink.register(p, "all-failures")) {
      p.apply(org.apache.beam.sdk.transforms.Create.of(j))
          .apply(ScrapinghubIO.readAll().withConnection(ReadFixture.connection(emu)).asRows(schema).withBadRecordErrorHandler(handler))
          .apply(Collected.into("all-rows"));
    }
    p.run().waitUntilFinish();
    assertEquals(10, Collected.counts("all-rows").size());
    Map<String, BadRecord> f = byKey("all-failures");
    assertEquals(3, f.size());
    assertConversion(f.get(j + "/10"), j + "/10", j, "field 'price': expected DOUBLE, found string \"cheap\"");

    Pipeline p2 = ScrapinghubIOReadTest.pipeline();
    p2.apply(org.apache.beam.sdk.transforms.Create.of(j))
        .apply(ScrapinghubIO.readAll().withConnection(ReadFixture.connection(emu)).asRows(schema));
    Exception e = assertThrows(Exception.class, () -> p2.run().waitUntilFinish());
    assertTrue(messages(e).matches("(?s).*CONVERSION: record " + j + "/1[012] of job " + j + " cannot be converted.*"), messages(e));
  }

  /** A schema with a type the streaming converter leaves to Beam's RowJson still routes failures. */
  @Test
  void givenSchemaThroughRowJsonRoutesFailuresToo() {
    String j = jobWithBadTail();
    Schema schema = Schema.builder().addNullableField("_key", FieldType.STRING).addInt32Field("id")
        .addNullableField("price", FieldType.DOUBLE).build();
    Pipeline p = ScrapinghubIOReadTest.pipeline();
    try (BadRecordErrorHandler<?> handler = BadRecordsSink.register(p, "rowjson-failures")) {
      p.apply(read().asRows(schema).withBadRecordErrorHandler(handler)).apply(Collected.into("rowjson-rows"));
    }
    p.run().waitUntilFinish();
    assertEquals(12, Collected.counts("rowjson-rows").size());
    Map<String, BadRecord> f = byKey("rowjson-failures");
    assertEquals(1, f.size());
    String d = f.get(j + "/10").getFailure().getDescription();
    assertTrue(d.startsWith("CONVERSION: record " + j + "/10 of job " + j + ": ") && d.contains("price"), d);
  }

  /** Jackson binding to a user class routes what it cannot bind. */
  @Test
  void typedReadRoutesFailuresToo() {
    String j = jobWithBadTail();
    Pipeline p = ScrapinghubIOReadTest.pipeline();
    try (BadRecordErrorHandler<?> handler = BadRecordsSink.register(p, "typed-failures")) {
      p.apply(read().as(Priced.class).withBadRecordErrorHandler(handler)).apply(Collected.into("typed-rows"));
    }
    p.run().waitUntilFinish();
    assertEquals(12, Collected.counts("typed-rows").size());
    Map<String, BadRecord> f = byKey("typed-failures");
    assertEquals(1, f.size());
    String d = f.get(j + "/10").getFailure().getDescription();
    assertTrue(d.startsWith("CONVERSION: record " + j + "/10 of job " + j + ": field 'price': "), d);
    assertTrue(f.get(j + "/10").getFailure().getException().contains("cannot be converted to Jackson-bound "),
        f.get(j + "/10").getFailure().getException());
  }

  /** A class Jackson binds items to. */
  @org.apache.beam.sdk.coders.DefaultCoder(org.apache.beam.sdk.coders.SerializableCoder.class)
  public static final class Priced implements java.io.Serializable {
    public long id;
    public Double price;
  }

  @Test
  void aSelectionWithoutJobsFailsAtConstructionNamingIt() {
    job("shop", "finished", List.of("consumed"), "{\"a\":1}");
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> read().withLacksTag("consumed").asRows().inferSchema());
    assertTrue(none.getMessage().contains("no job matches project " + project), none.getMessage());
    assertTrue(none.getMessage().contains("consumed"), none.getMessage());

    Pipeline p = ScrapinghubIOReadTest.pipeline();
    IllegalArgumentException atApply = assertThrows(IllegalArgumentException.class,
        () -> p.apply(read().withLacksTag("consumed").asRows()));
    assertEquals(none.getMessage(), atApply.getMessage());

    NotFoundException typo = assertThrows(NotFoundException.class,
        () -> read().withSpiders("shopp").asRows().inferSchema());
    assertTrue(typo.getMessage().contains("spider 'shopp' does not exist"), typo.getMessage());

    job("empty", "finished", List.of());
    IllegalArgumentException noItems = assertThrows(IllegalArgumentException.class,
        () -> read().withSpiders("empty").asRows().inferSchema());
    assertTrue(noItems.getMessage().contains("have no items"), noItems.getMessage());
  }

  @Test
  void samplingSettingsAreCheckedAtOnce() {
    assertThrows(IllegalArgumentException.class, () -> read().asRows().withSchemaSampleJobs(0));
    assertThrows(IllegalArgumentException.class, () -> read().asRows().withSchemaSampleRecords(0));
    assertThrows(IllegalArgumentException.class, () -> read().withBadRecordErrorHandler(null));
    assertThrows(IllegalArgumentException.class, () -> ScrapinghubIO.read().asRows().inferSchema());
  }

  /** Only the newest jobs are sampled: a field that only an older job has is not in the schema. */
  @Test
  void samplesUpToTheGivenNumberOfJobs() {
    job("shop", "finished", List.of(), "{\"old\":1}");
    job("shop", "finished", List.of(), "{\"new\":1}");
    Schema one = read().asRows().withSchemaSampleJobs(1).inferSchema();
    assertEquals(List.of("_key", "_job", "new"), one.getFieldNames());
    Schema two = read().asRows().withSchemaSampleJobs(2).inferSchema();
    assertEquals(List.of("_key", "_job", "new", "old"), two.getFieldNames());
  }

  private static String messages(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      b.append(t.getMessage()).append('\n');
    }
    return b.toString();
  }

}
