package io.scrapinghubio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.cli.export.InferredRows;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.demo.DemoData;
import io.scrapinghubio.emulator.store.RecordType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export --format=csv} as a user runs the jar: killed (kill -9) once it has committed a part,
 * then run again to its end, its CSV files read back hold every stored item exactly once, equal on
 * the inferred schema.
 */
@Tag("jar")
class CsvExportJarIT {
  private static final String KEY = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

  @Test
  void aKilledCsvExportResumesToEveryItemExactlyOnce(@TempDir Path dir) throws Exception {
    // 1 MB/s per response stream: the run lasts long enough to be killed after its first commit.
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).demoData(DemoData.of(6, 3000))
        .bandwidthMbps(1).start()) {
      Path out = dir.resolve("export");
      Path parts = out.resolveSibling(".export.unfinished").resolve("files");
      String[] args = {"export", "--project=" + DemoData.DEFAULT_PROJECT, "--endpoint=" + emu.storageUrl(),
          "--format=csv", "--output=" + out, "--parallelism=2", "--commit-every=1s"};
      CommandProcess killed = jar(args);
      boolean killedMidway = killed.killAfterFirstCommit(parts);

      CommandProcess resumed = jar(args);
      assertEquals(0, resumed.waitFor(Duration.ofMinutes(3)), killed.output() + "\n" + resumed.output());
      if (killedMidway) {
        assertTrue(resumed.lines.get(0).startsWith("Resuming the interrupted export"), resumed.output());
      }
      Schema schema = ScrapinghubIO.read().withConnection(ScrapinghubConnection.create().withApiKey(KEY)
          .withStorageEndpoint(emu.storageUrl()).withDashEndpoint(emu.dashUrl()))
          .withProject(DemoData.DEFAULT_PROJECT).inferSchema();
      try (var files = Files.list(out)) {
        assertTrue(files.allMatch(f -> f.getFileName().toString().matches("part-[0-9a-f]{8}-\\d{5}\\.csv")),
            "only CSV parts are published");
      }
      assertEquals(InferredRows.withEmptyTextAsNull(
          InferredRows.stored(emu, DemoData.DEFAULT_PROJECT, RecordType.ITEMS, schema)),
          InferredRows.fromCsvFiles(out, schema), resumed.output());
    }
  }

  private static CommandProcess jar(String... args) throws Exception {
    return CommandProcess.cliJar(KEY, args);
  }
}
