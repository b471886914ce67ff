package io.scrapinghubio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.emulator.store.JobState;
import io.scrapinghubio.emulator.store.RecordLog;
import io.scrapinghubio.emulator.store.RecordType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main job, on the Direct runner and on embedded Flink: every item of every finished
 * demo job ends up in the exported files exactly once, and the summary adds up.
 */
class BulkExportTest {

  private static void exportAndCheck(String runner, Path dir) throws Exception {
    String[] args = {"--runner=" + runner, "--output=" + dir.resolve("items"), "--shards=3",
        "--demoJobs=6", "--demoItemsPerJob=700"};
    try (ExampleEnvironment env = ExampleEnvironment.fromArgs(args)) {
      List<String> beamArgs = new ArrayList<>(List.of(env.beamArgs()));
      if (runner.equals("FlinkRunner")) {
        beamArgs.add("--flinkMaster=[local]");
        beamArgs.add("--parallelism=2");
      }
      BulkExport.Options options = PipelineOptionsFactory.fromArgs(beamArgs.toArray(new String[0]))
          .withValidation().as(BulkExport.Options.class);
      BulkExport.Summary summary = BulkExport.run(env, options);

      // Expected: every item of every finished job, as stored.
      Map<String, Integer> expected = new HashMap<>();
      int finishedJobs = 0;
      for (JobState job : env.emulator().state().project(env.project()).jobs()) {
        if (!"finished".equals(job.state())) {
          continue;
        }
        finishedJobs++;
        RecordLog.View v = env.emulator().state().records(job.key(), RecordType.ITEMS).view();
        for (int i = 0; i < v.size(); i++) {
          expected.merge(new String(v.copy(i), StandardCharsets.UTF_8), 1, Integer::sum);
        }
      }
      Map<String, Integer> got = new HashMap<>();
      List<Path> shards;
      try (var files = Files.list(dir)) {
        shards = files.filter(f -> f.getFileName().toString().startsWith("items-")).collect(Collectors.toList());
      }
      assertEquals(3, shards.size(), "sharded output " + shards);
      for (Path f : shards) {
        assertTrue(f.getFileName().toString().endsWith(".jl"), f.toString());
        for (String line : Files.readAllLines(f)) {
          got.merge(line, 1, Integer::sum);
        }
      }
      assertEquals(6 * 700, expected.values().stream().mapToInt(Integer::intValue).sum());
      assertEquals(expected, got, "exported lines must be exactly the stored items");
      assertEquals(finishedJobs, summary.jobs());
      assertEquals(6 * 700, summary.items());
      assertTrue(summary.bytes() > 6 * 700 * 1000L, "about 1.4 KB per demo item: " + summary.bytes());
    }
  }

  @Test
  void direct(@TempDir Path dir) throws Exception {
    exportAndCheck("DirectRunner", dir);
  }

  @Test
  void embeddedFlink(@TempDir Path dir) throws Exception {
    exportAndCheck("FlinkRunner", dir);
  }
}
