package io.scrapinghubio.beam.rows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scrapinghubio.beam.read.Collected;
import io.scrapinghubio.beam.read.ReadFixture;
import io.scrapinghubio.beam.read.ScrapinghubIOReadTest;
import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import io.scrapinghubio.emulator.store.JobState;
import io.scrapinghubio.emulator.store.ProjectState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.sql.SqlTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Beam SQL over rows whose schema was inferred, nobody having written one: grouping across many
 * jobs, a nested field, a Unicode name made SQL-safe, a JSON-text field, the lineage fields.
 */
class ReadRowsSqlTest {
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(ReadFixture.KEY);

  @Test
  void sqlOverInferredRowsAcrossManyJobs() {
    ScrapyCloudEmulator emu = EMU.emulator();
    long project = 901;
    ProjectState ps = emu.state().project(project);
    String[] categories = {"books", "games", "toys"};
    Map<String, long[]> count = new HashMap<>();
    Map<String, double[]> sum = new HashMap<>();
    int n = 0;
    for (int j = 0; j < 12; j++) {
      JobState job = ps.createJob(ps.addSpider("shop"), "finished", List.of(), 2, 1, Map.of(), ProjectState.Origin.DASH);
      List<String> items = new ArrayList<>();
      for (int i = 0; i < 50; i++, n++) {
        String cat = categories[(i + j) % 3];
        // integer prices in some items, floats in others: inferred DOUBLE
        String price = n % 4 == 0 ? Integer.toString(n % 90) : (n % 90) + ".25";
        double p = Double.parseDouble(price);
        count.computeIfAbsent(cat, c -> new long[1])[0]++;
        sum.computeIfAbsent(cat, c -> new double[1])[0] += p;
        String extra = n % 2 == 0 ? "\"x\"" : "{\"y\":1}";
        items.add("{\"category\":\"" + cat + "\",\"price\":" + price + ",\"offer\":{\"seller\":\"s" + (n % 5)
            + "\"},\"prix €\":" + p + ",\"extra\":" + extra + "}");
      }
      emu.state().appendItems(job.key(), items);
    }

    Pipeline p = ScrapinghubIOReadTest.pipeline();
    PCollection<Row> rows = p.apply(ScrapinghubIO.read().withConnection(ReadFixture.connection(emu)).withProject(project)
        .asRows().withSchemaSampleJobs(3).withSqlSafeFieldNames());
    rows.apply("PerCategory", SqlTransform.query(
            "SELECT category, COUNT(*) AS items, AVG(price) AS avg_price, SUM(prix) AS total, "
                + "MAX(t.offer.seller) AS last_seller, "
                + "SUM(CASE WHEN extra LIKE '{%' THEN 1 ELSE 0 END) AS objects "
                + "FROM PCOLLECTION AS t GROUP BY category"))
        .apply(Collected.into("sql"));
    rows.apply("PerJob", SqlTransform.query("SELECT _job, COUNT(*) AS items, MIN(_key) AS first_key FROM PCOLLECTION GROUP BY _job"))
        .apply(Collected.into("sql-jobs"));
    p.run().waitUntilFinish();

    Map<String, Row> perJob = new HashMap<>();
    Collected.counts("sql-jobs").keySet().forEach(o -> perJob.put(((Row) o).getString("_job"), (Row) o));
    assertEquals(12, perJob.size(), perJob::toString);
    perJob.forEach((job, r) -> {
      assertEquals(50L, r.getInt64("items").longValue(), job);
      assertEquals(job + "/0", r.getString("first_key"), job);
    });

    Map<String, Row> got = new HashMap<>();
    Collected.counts("sql").keySet().forEach(o -> got.put(((Row) o).getString("category"), (Row) o));
    assertEquals(3, got.size(), got::toString);
    for (String cat : categories) {
      Row r = got.get(cat);
      assertEquals(count.get(cat)[0], r.getInt64("items").longValue(), cat);
      assertEquals(sum.get(cat)[0] / count.get(cat)[0], r.getDouble("avg_price"), 1e-9, cat);
      assertEquals(sum.get(cat)[0], r.getDouble("total"), 1e-9, cat);
      assertEquals("s4", r.getString("last_seller"), cat);
    }
    long objects = got.values().stream().mapToLong(r -> ((Number) r.getValue("objects")).longValue()).sum();
    assertEquals(n / 2, objects, "odd items hold an object in 'extra', as JSON text");
  }
}
