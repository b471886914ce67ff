package io.scrapinghubio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scrapinghubio.emulator.store.JobState;
import io.scrapinghubio.emulator.store.RecordLog;
import io.scrapinghubio.emulator.store.RecordType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL example against its embedded emulator: its result, in the directory its last line names,
 * equals the same figures computed from the stored items.
 */
class ItemsSqlTest {

  @Test
  void pricesPerCategoryEqualTheStoredItemsFigures(@TempDir Path dir) throws Exception {
    String[] args = {"--runner=DirectRunner", "--output=" + dir.resolve("sql"), "--demo-jobs=4", "--demo-items-per-job=150"};
    try (ExampleEnvironment env = ExampleEnvironment.fromArgs(args)) {
      ItemsSql.Summary summary = ItemsSql.run(env.connection(), env.project(), ExampleArgs.options(env.beamArgs(), ItemsSql.Options.class));
      Path printed = PrintedPath.in(summary.toString(), " in ", "/prices-*.csv");
      assertEquals(dir.resolve("sql"), printed);
      assertEquals(0, summary.failedRecords(), summary.toString());

      // category|currency -> count, sum, min, max, from the emulator's own items of finished jobs
      ObjectMapper mapper = new ObjectMapper();
      Map<String, double[]> expected = new TreeMap<>();
      int jobs = 0;
      long items = 0;
      for (JobState job : env.emulator().state().project(env.project()).jobs()) {
        if (!"finished".equals(job.state())) {
          continue;
        }
        jobs++;
        RecordLog.View v = env.emulator().state().records(job.key(), RecordType.ITEMS).view();
        for (int i = 0; i < v.size(); i++) {
          JsonNode item = mapper.readTree(v.copy(i));
          String key = item.path("breadcrumbs").path(1).asText() + "|" + item.path("currency").asText();
          double price = item.path("price").asDouble();
          double[] a = expected.computeIfAbsent(key, k -> new double[] {0, 0, Double.MAX_VALUE, -Double.MAX_VALUE});
          a[0]++;
          a[1] += price;
          a[2] = Math.min(a[2], price);
          a[3] = Math.max(a[3], price);
          items++;
        }
      }
      assertEquals(true, jobs > 1, "the query runs across several jobs");

      Map<String, double[]> got = new TreeMap<>();
      List<String> failures = new ArrayList<>();
      try (var files = Files.list(printed)) {
        for (Path f : files.toList()) {
          assertTrue(f.getFileName().toString().matches("(prices-\\d{5}-of-\\d{5}\\.csv|failures-\\d{5}-of-\\d{5}\\.txt)"),
              "the output holds the query's files only: " + f.getFileName());
          List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
          if (f.getFileName().toString().startsWith("failures")) {
            failures.addAll(lines);
            continue;
          }
          assertEquals(ItemsSql.HEADER, lines.get(0));
          for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            got.put(c[0].replace("\"", "") + "|" + c[1].replace("\"", ""), new double[] {
                Long.parseLong(c[2]), Double.parseDouble(c[3]), Double.parseDouble(c[4]), Double.parseDouble(c[5])});
          }
        }
      }
      assertEquals(List.of(), failures, "every demo item fits the inferred schema");
      assertEquals(expected.keySet(), got.keySet());
      long total = 0;
      for (Map.Entry<String, double[]> e : expected.entrySet()) {
        double[] want = e.getValue();
        double[] have = got.get(e.getKey());
        assertEquals(want[0], have[0], e.getKey() + " items");
        // Beam SQL's AVG of DOUBLE divides in BigDecimal and rounds to 10 significant digits
        assertEquals(want[1] / want[0], have[1], 1e-9 * want[1] / want[0], e.getKey() + " avg_price");
        assertEquals(want[2], have[2], e.getKey() + " min_price");
        assertEquals(want[3], have[3], e.getKey() + " max_price");
        total += (long) have[0];
      }
      assertEquals(items, total);
    }
  }
}
