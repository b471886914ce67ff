package io.scrapinghubio.cli.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.cli.CliRun;
import io.scrapinghubio.cli.DemoItems;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.demo.DemoData;
import io.scrapinghubio.emulator.store.RecordType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/** {@code export --data-type}: a job's logs, requests or samples, each record's JSON as stored, counted by its name. */
class DataTypeExportTest {
  private static final String KEY = "0123456789abcdef0123456789abcdef";

  @ParameterizedTest
  @CsvSource({"logs, LOGS, log lines", "requests, REQUESTS, requests", "samples, SAMPLES, samples"})
  void exportsEachRecordOfTheType(String option, RecordType type, String plural, @TempDir Path dir) throws Exception {
    DemoData demo = DemoData.of(3, 5).withLogsPerJob(40).withRequestsPerJob(30).withSamplesPerJob(4);
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).demoData(demo).start()) {
      Path out = dir.resolve("out");
      CliRun run = CliRun.run(Map.of("SH_APIKEY", KEY), "export", "--project=" + DemoData.DEFAULT_PROJECT,
          "--endpoint=" + emu.storageUrl(), "--runner=direct", "--progress=none", "--data-type=" + option,
          "--output=" + out);
      assertEquals(0, run.exitCode(), run.toString());
      Map<String, Integer> stored = DemoItems.stored(emu, DemoData.DEFAULT_PROJECT, type);
      assertFalse(stored.isEmpty());
      try (var files = Files.list(out)) {
        assertEquals(stored, DemoItems.lines(files.toList()));
      }
      assertTrue(run.outLines().get(0).startsWith("Exporting " + option + " of finished jobs"), run.toString());
      String last = run.outLines().get(run.outLines().size() - 1);
      assertTrue(last.contains(String.format("%,d %s, ", DemoItems.total(stored), plural)), last);
    }
  }
}
