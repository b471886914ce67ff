package io.scrapinghubio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.beam.flink.LoopbackFlinkConfig;
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
    exportAndCheck(runner, dir.resolve("export"), 3, false);
  }

  private static BulkExport.Summary exportAndCheck(String runner, Path dir, int shardCount, boolean overwrite)
      throws Exception {
    String[] args = {"--runner=" + runner, "--output=" + dir, "--shards=" + shardCount,
        "--demoJobs=6", "--demoItemsPerJob=700", "--overwrite=" + overwrite};
    try (ExampleEnvironment env = ExampleEnvironment.fromArgs(args)) {
      List<String> beamArgs = new ArrayList<>(List.of(env.beamArgs()));
      if (runner.equals("FlinkRunner")) {
        beamArgs.add("--flinkMaster=[local]");
        beamArgs.add("--parallelism=2");
      }
      BulkExport.Options options = PipelineOptionsFactory.fromArgs(LoopbackFlinkConfig.addTo(BulkExport.withExportDefaults(beamArgs.toArray(new String[0]))))
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
        shards = files.collect(Collectors.toList());
      }
      assertEquals(shardCount, shards.size(), "sharded output, nothing else " + shards);
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
      try (var siblings = Files.list(dir.getParent())) {
        assertEquals(List.of(dir), siblings.collect(Collectors.toList()), "no staging directory left behind");
      }
      return summary;
    }
  }

  @Test
  void embeddedFlinkIsTheDefaultRunner() {
    assertEquals(List.of("--project=1", "--runner=FlinkRunner", "--fasterCopy=true"),
        List.of(BulkExport.withExportDefaults(new String[] {"--project=1"})));
    assertEquals(List.of("--runner=DirectRunner"), List.of(BulkExport.withExportDefaults(new String[] {"--runner=DirectRunner"})));
    assertEquals(List.of("--runner=FlinkRunner", "--fasterCopy=false"),
        List.of(BulkExport.withExportDefaults(new String[] {"--runner=FlinkRunner", "--fasterCopy=false"})));
  }

  /** Running twice on one output: refused unless asked to overwrite; then no stale shard survives. */
  @Test
  void rerunOnSameOutput(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("export");
    exportAndCheck("DirectRunner", out, 3, false);
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> exportAndCheck("DirectRunner", out, 2, false));
    assertTrue(refused.getMessage().contains(out.toString()) && refused.getMessage().contains("--overwrite"),
        refused.getMessage());
    exportAndCheck("DirectRunner", out, 2, true); // asserts exactly 2 shards holding each item once
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
