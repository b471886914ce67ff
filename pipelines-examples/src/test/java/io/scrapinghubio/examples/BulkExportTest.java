package io.scrapinghubio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scrapinghubio.emulator.store.JobState;
import io.scrapinghubio.emulator.store.RecordLog;
import io.scrapinghubio.emulator.store.RecordType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example against its embedded emulator: every stored item is exported exactly once. */
class BulkExportTest {

  @Test
  void exportsEveryItemOnce(@TempDir Path dir) throws Exception {
    String[] args = {"--runner=DirectRunner", "--output=" + dir, "--demoJobs=4", "--demoItemsPerJob=300"};
    try (ExampleEnvironment env = ExampleEnvironment.fromArgs(args)) {
      BulkExport.Options options = PipelineOptionsFactory.fromArgs(env.beamArgs()).withValidation()
          .as(BulkExport.Options.class);
      BulkExport.run(env.connection(), env.project(), options).waitUntilFinish();

      Map<String, Integer> expected = new HashMap<>();
      for (JobState job : env.emulator().state().project(env.project()).jobs()) {
        if ("finished".equals(job.state())) {
          RecordLog.View v = env.emulator().state().records(job.key(), RecordType.ITEMS).view();
          for (int i = 0; i < v.size(); i++) {
            expected.merge(new String(v.copy(i), StandardCharsets.UTF_8), 1, Integer::sum);
          }
        }
      }
      Map<String, Integer> got = new HashMap<>();
      List<Path> files;
      try (var l = Files.list(dir)) {
        files = l.filter(f -> f.getFileName().toString().endsWith(".jl")).toList();
      }
      for (Path f : files) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          got.merge(line, 1, Integer::sum);
        }
      }
      assertEquals(4 * 300, expected.values().stream().mapToInt(Integer::intValue).sum());
      assertEquals(expected, got, "exported lines must be exactly the stored items");
    }
  }
}
