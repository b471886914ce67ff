package io.scrapinghubio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQL example against its embedded emulator: its result equals the same figures computed from the stored items. */
class ItemsSqlTest {

  @Test
  void pricesPerCategoryEqualTheStoredItemsFigures(@TempDir Path dir) throws Exception {
    String[] args = {"--runner=DirectRunner", "--output=" + dir, "--demoJobs=4", "--demoItemsPerJob=150"};
    try (ExampleEnvironment env = ExampleEnvironment.fromArgs(args)) {
      ItemsSql.Options options = PipelineOptionsFactory.fromArgs(env.beamArgs()).withValidation().as(ItemsSql.Options.class);
      ItemsSql.run(env.connection(), env.project(), options).waitUntilFinish();

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
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
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
