package io.scrapinghubio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.cli.load.LoadSummary;
import io.scrapinghubio.cli.load.PostgresLoad;
import io.scrapinghubio.cli.load.PostgresTable;
import io.scrapinghubio.cli.load.PostgresTarget;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scrapinghubio.emulator.store.JobState;
import io.scrapinghubio.emulator.store.RecordLog;
import io.scrapinghubio.emulator.store.RecordType;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ETL on the Direct runner, from an embedded emulator into the real PostgreSQL server of
 * {@link PostgresUnderTest}. Each test loads into a table of its own.
 */
@org.junit.jupiter.api.extension.ExtendWith(PostgresAvailable.class)
class ItemsToPostgresTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Schema ATTRIBUTES = Schema.builder()
      .addNullableField("color", FieldType.STRING).addNullableField("material", FieldType.STRING)
      .addNullableField("weight_g", FieldType.INT64).addNullableField("warranty_months", FieldType.INT64)
      .addNullableField("dimensions_cm", FieldType.STRING).build();
  /** The demo items' shape, as inference would find it. */
  static final Schema DEMO_ITEMS = Schema.builder()
      .addStringField("_key")
      .addNullableField("url", FieldType.STRING).addNullableField("title", FieldType.STRING)
      .addNullableField("price", FieldType.DOUBLE).addNullableField("currency", FieldType.STRING)
      .addNullableField("sku", FieldType.STRING).addNullableField("brand", FieldType.STRING)
      .addNullableField("availability", FieldType.STRING).addNullableField("rating", FieldType.DOUBLE)
      .addNullableField("review_count", FieldType.INT64).addNullableField("description", FieldType.STRING)
      .addNullableField("images", FieldType.array(FieldType.STRING))
      .addNullableField("breadcrumbs", FieldType.array(FieldType.STRING))
      .addNullableField("attributes", FieldType.row(ATTRIBUTES))
      .addNullableField("scraped_at", FieldType.STRING).addNullableField("crawled_ts", FieldType.INT64)
      .build();

  /** The ETL's default: the schema inferred from a sample of the jobs it loads. */
  private static final Schema INFERRED = null;

  private final PostgresUnderTest pg = PostgresUnderTest.get();
  private final String table = "items_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

  private ExampleEnvironment demo(int jobs, int items) {
    return ExampleEnvironment.fromArgs(new String[] {"--runner=DirectRunner", "--demo-jobs=" + jobs,
        "--demo-items-per-job=" + items});
  }

  private ItemsToPostgres.Options options(ExampleEnvironment env, String... extra) {
    List<String> args = new ArrayList<>(List.of(env.beamArgs()));
    args.add("--table=" + table);
    args.addAll(List.of(extra));
    return ExampleArgs.options(args.toArray(new String[0]), ItemsToPostgres.Options.class);
  }

  @Test
  void loadsEveryItemWithItsContentAndTagsTheJobs(@TempDir Path dir) throws Exception {
    try (ExampleEnvironment env = demo(3, 150)) {
      LoadSummary s = ItemsToPostgres.run(env, pg.target(dir), options(env), INFERRED);

      Map<String, Object> expected = emulatorItems(env);
      assertEquals(450, expected.size());
      assertEquals(new LoadSummary(3, 450, 0, 3, s.seconds(), table, table + "_failures", 0), s);
      assertEquals(expected, tableRows(), "every row, field by field (nested jsonb included), equals its item");
      for (JobState job : env.emulator().state().project(env.project()).jobs()) {
        assertTrue(tags(job).contains("consumed"), job.key() + " is tagged consumed: " + tags(job));
      }
    }
  }

  @Test
  void loadingTheSameJobsAgainLeavesTheTableUnchanged(@TempDir Path dir) throws Exception {
    try (ExampleEnvironment env = demo(2, 100)) {
      ItemsToPostgres.run(env, pg.target(dir), options(env), INFERRED);
      Map<String, Object> first = tableRows();
      // Another consumed tag selects the same jobs again: every row is upserted a second time.
      LoadSummary again = ItemsToPostgres.run(env, pg.target(dir), options(env, "--consumed-tag=reloaded"), INFERRED);
      assertEquals(200, again.rows());
      assertEquals(first, tableRows());
      assertEquals(200, count());
    }
  }

  @Test
  void theSecondRunLoadsOnlyTheJobThatFinishedSinceTheFirst(@TempDir Path dir) throws Exception {
    try (ExampleEnvironment env = demo(2, 100)) {
      ItemsToPostgres.run(env, pg.target(dir), options(env), INFERRED);
      Map<String, List<String>> tagsAfterFirst = new HashMap<>();
      for (JobState job : env.emulator().state().project(env.project()).jobs()) {
        tagsAfterFirst.put(job.key(), tags(job));
      }

      JobState added = env.emulator().state().addJob(env.project(), "products", JobState.FINISHED, Map.of());
      List<Map<String, Object>> items = List.of(
          Map.of("title", "New one", "price", 5.5, "attributes", Map.of("color", "red")),
          Map.of("title", "New two", "images", List.of("a.jpg", "b.jpg"), "review_count", 7));
      env.emulator().state().appendItems(added.key(), items);

      LoadSummary second = ItemsToPostgres.run(env, pg.target(dir), options(env), INFERRED);
      assertEquals(1, second.jobs());
      assertEquals(2, second.rows());
      assertEquals(1, second.jobsTagged());
      assertEquals(202, count());
      assertEquals(emulatorItems(env), tableRows());
      assertTrue(tags(env.emulator().state().job(added.key()).orElseThrow()).contains("consumed"));
      tagsAfterFirst.forEach((k, t) -> {
        assertTrue(t.contains("consumed"), k + " was tagged by the first run");
        assertEquals(t, tags(env.emulator().state().job(k).orElseThrow()), k + " is left alone by the second run");
      });

      LoadSummary third = ItemsToPostgres.run(env, pg.target(dir), options(env), INFERRED);
      assertEquals(0, third.jobs());
      assertEquals("Nothing to load: every selected job is already tagged consumed", third.toString());
    }
  }

  /** A new job without items has nothing to infer or load: it is tagged, and nothing fails. */
  @Test
  void newJobsWithoutItemsAreTaggedAndLoadNothing(@TempDir Path dir) throws Exception {
    try (ExampleEnvironment env = demo(1, 50)) {
      ItemsToPostgres.run(env, pg.target(dir), options(env), INFERRED);
      JobState empty = env.emulator().state().addJob(env.project(), "products", JobState.FINISHED, Map.of());

      LoadSummary second = ItemsToPostgres.run(env, pg.target(dir), options(env), INFERRED);
      assertEquals(0, second.jobs());
      assertEquals(1, second.emptyJobs());
      assertEquals(1, second.jobsTagged());
      assertEquals("Nothing to load: the 1 new finished job(s) hold no items; 1 tagged consumed", second.toString());
      assertEquals(50, count());
      assertTrue(tags(env.emulator().state().job(empty.key()).orElseThrow()).contains("consumed"));
      assertEquals("Nothing to load: every selected job is already tagged consumed",
          ItemsToPostgres.run(env, pg.target(dir), options(env), INFERRED).toString());
    }
  }

  @Test
  void aRecordThatDoesNotFitTheInferredSchemaGoesToTheFailuresTableWhileTheRestLoad(@TempDir Path dir) throws Exception {
    try (ExampleEnvironment env = demo(2, 100)) {
      // Past the 500 records the inference samples per job: "price" is inferred a DOUBLE from the
      // others, and this one holds a string.
      String job = env.emulator().state().project(env.project()).jobs().get(0).key();
      List<Map<String, Object>> filler = new ArrayList<>();
      for (int i = 0; i < 450; i++) {
        filler.add(Map.of("title", "filler " + i, "price", 1.5 + i));
      }
      env.emulator().state().appendItems(job, filler);
      env.emulator().state().appendItems(job, List.of(Map.of("title", "Bad price", "price", "call us")));
      String badKey = job + "/550";

      LoadSummary s = ItemsToPostgres.run(env, pg.target(dir), options(env), INFERRED);
      assertEquals(1, s.failures());
      assertEquals(200 + 450, s.rows());
      assertEquals(2, s.jobsTagged(), "the jobs are consumed: their bad record is in the failures table");
      Map<String, Object> expected = emulatorItems(env);
      expected.remove(badKey);
      assertEquals(expected, tableRows(), "every other record loaded, field by field");
      try (Connection c = pg.connect(); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT _key, _job, reason, record FROM " + table + "_failures")) {
        assertTrue(rs.next());
        assertEquals(badKey, rs.getString(1));
        assertEquals(job, rs.getString(2));
        assertTrue(rs.getString(3).contains("price"), rs.getString(3));
        assertEquals(Map.of("title", "Bad price", "price", "call us"), JSON.readValue(rs.getString(4), Map.class));
        assertFalse(rs.next(), "one failure only");
      }
    }
  }

  @Test
  void anExistingTableGetsTheColumnsItLacks(@TempDir Path dir) throws Exception {
    try (Connection c = pg.connect(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + table + " (_key text PRIMARY KEY, title text, note text)");
    }
    try (ExampleEnvironment env = demo(1, 50)) {
      ItemsToPostgres.run(env, pg.target(dir), options(env), INFERRED);
      // the items' columns were added and filled; the user's own column stays (null, so not compared)
      assertEquals(emulatorItems(env), tableRows());
      assertEquals(50, count());
      try (Connection c = pg.connect(); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT count(*) FROM information_schema.columns WHERE table_name = '" + table
              + "' AND column_name IN ('note', 'attributes', 'images', 'price')")) {
        rs.next();
        assertEquals(4, rs.getInt(1));
      }
    }
  }

  @Test
  void aColumnOfAnIncompatibleTypeIsAnEarlyClearError(@TempDir Path dir) throws Exception {
    try (Connection c = pg.connect(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + table + " (_key text PRIMARY KEY, price integer)");
    }
    try (ExampleEnvironment env = demo(1, 10)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ItemsToPostgres.run(env, pg.target(dir), options(env), INFERRED));
      assertTrue(e.getMessage().contains("column \"price\" of table " + table + " is integer")
          && e.getMessage().contains("DOUBLE"), e.getMessage());
      assertEquals(0, count());
    }
  }

  @Test
  void aWrongPasswordFailsEarlyWithoutShowingIt(@TempDir Path dir) throws Exception {
    Path wrong = dir.resolve("wrong");
    String secret = "not-the-password-" + UUID.randomUUID();
    Files.writeString(wrong, secret);
    try (ExampleEnvironment env = demo(1, 10)) {
      PostgresTarget target = PostgresTarget.withPasswordFile(pg.url, pg.user, wrong);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ItemsToPostgres.run(env, target, options(env), INFERRED));
      String all = messages(e);
      assertTrue(all.contains("refused the login") && all.contains(pg.url) && all.contains(wrong.toString()), all);
      assertFalse(all.contains(secret), "the password is not in the error");
      assertFalse(target.toString().contains(secret));
      for (JobState job : env.emulator().state().project(env.project()).jobs()) {
        assertFalse(tags(job).contains("consumed"), "nothing was loaded or tagged");
      }
    }
  }

  @Test
  void anUnreachableServerOrAProjectWithoutJobsIsAnEarlyClearError(@TempDir Path dir) throws Exception {
    try (ExampleEnvironment env = demo(1, 10)) {
      String closedPort = pg.url.replaceFirst("127\\.0\\.0\\.1:\\d+", "127.0.0.1:1");
      pg.target(dir);
      PostgresTarget unreachable = PostgresTarget.withPasswordFile(closedPort, pg.user, dir.resolve("pg-password"));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ItemsToPostgres.run(env, unreachable, options(env), INFERRED));
      assertTrue(e.getMessage().contains("cannot be reached") && e.getMessage().contains(closedPort), e.getMessage());
    }
    try (ExampleEnvironment empty = demo(1, 10)) {
      for (JobState job : empty.emulator().state().project(empty.project()).jobs()) {
        empty.emulator().state().setJobState(job.key(), JobState.RUNNING);
      }
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ItemsToPostgres.run(empty, pg.target(dir), options(empty), INFERRED));
      assertTrue(e.getMessage().contains("project " + empty.project() + " has no finished job"), e.getMessage());
    }
  }

  @Test
  void thePasswordIsNeitherInDisplayDataNorInTheSerializedSink(@TempDir Path dir) throws Exception {
    PostgresTarget target = pg.target(dir);
    var sink = PostgresLoad.upsert(target, new PostgresTable(table, DEMO_ITEMS), 500);
    String display = DisplayData.from(sink).toString();
    assertFalse(display.contains(pg.password()), display);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(sink);
    }
    assertFalse(new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1).contains(pg.password()),
        "the serialized sink does not carry the password");
  }

  @Test
  void aUrlWithCredentialsIsRefusedWithoutRepeatingThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PostgresTarget.withPasswordVariable("jdbc:postgresql://h:5432/db?password=hunter2", "u", "PATH"));
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    assertTrue(e.getMessage().contains("holds credentials"), e.getMessage());
  }

  @Test
  void onFlinkReadingAndWritingOverlapUnlessTheUserChoseOtherwise() {
    assertEquals(List.of("--runner=FlinkRunner", "--fasterCopy=true", "--executionModeForBatch=PIPELINED_FORCED"),
        List.of(ItemsToPostgres.flinkDefaults(new String[] {"--runner=FlinkRunner"})));
    assertEquals(List.of("--runner=FlinkRunner", "--executionModeForBatch=BATCH", "--fasterCopy=false"),
        List.of(ItemsToPostgres.flinkDefaults(new String[] {"--runner=FlinkRunner", "--executionModeForBatch=BATCH",
            "--fasterCopy=false"})));
    assertEquals(List.of("--runner=DirectRunner"), List.of(ItemsToPostgres.flinkDefaults(new String[] {"--runner=DirectRunner"})));
  }

  // ---- what the emulator holds and what the table holds, as comparable values ----

  /** Every finished job's items as normalised JSON values by record key, with {@code _key} and {@code _job} added. */
  private static Map<String, Object> emulatorItems(ExampleEnvironment env) throws Exception {
    Map<String, Object> out = new TreeMap<>();
    for (JobState job : env.emulator().state().project(env.project()).jobs()) {
      if (!JobState.FINISHED.equals(job.state())) {
        continue;
      }
      RecordLog.View v = env.emulator().state().records(job.key(), RecordType.ITEMS).view();
      for (int i = 0; i < v.size(); i++) {
        JsonNode item = JSON.readTree(new String(v.copy(i), StandardCharsets.UTF_8));
        String key = job.key() + "/" + i;
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) normalise(item);
        m.put("_key", key);
        m.put("_job", job.key());
        out.put(key, m);
      }
    }
    return out;
  }

  /** Every row as {@code to_jsonb(row)}, normalised the same way (jsonb columns are nested JSON). */
  private Map<String, Object> tableRows() throws SQLException, java.io.IOException {
    Map<String, Object> out = new TreeMap<>();
    try (Connection c = pg.connect(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT _key, to_jsonb(t)::text FROM " + table + " t")) {
      while (rs.next()) {
        out.put(rs.getString(1), normalise(JSON.readTree(rs.getString(2))));
      }
    }
    return out;
  }

  /**
   * Objects as maps without their null members (a field missing from an item is a null column),
   * arrays as lists, numbers as plain decimals (12.30 and 12.3 are the same price).
   */
  private static Object normalise(JsonNode n) {
    if (n.isObject()) {
      Map<String, Object> m = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = n.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isNull()) {
          m.put(e.getKey(), normalise(e.getValue()));
        }
      }
      return new HashMap<>(m);
    }
    if (n.isArray()) {
      List<Object> l = new ArrayList<>();
      n.forEach(x -> l.add(normalise(x)));
      return l;
    }
    if (n.isNumber()) {
      BigDecimal d = n.decimalValue().stripTrailingZeros();
      return d.signum() == 0 ? BigDecimal.ZERO : d;
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    return n.asText();
  }

  private long count() throws SQLException {
    try (Connection c = pg.connect(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> tags(JobState job) {
    Object t = job.metadata().get("tags");
    return t == null ? List.of() : List.copyOf((Collection<String>) t);
  }

  private static String messages(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      b.append(t).append('\n');
    }
    return b.toString();
  }
}
