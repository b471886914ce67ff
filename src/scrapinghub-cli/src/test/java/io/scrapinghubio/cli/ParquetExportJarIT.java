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
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export --format=parquet} as a user runs the jar: the Parquet files, read back by Parquet's
 * own reader, hold the rows the JSON-lines export of the same project holds (on the inferred schema,
 * as multisets); and an export with zstd pages killed (kill -9) once it has committed a part, then
 * run again to its end, holds every stored item exactly once.
 */
@Tag("jar")
class ParquetExportJarIT {
  private static final String KEY = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

  @Test
  void parquetFilesHoldTheRowsOfTheJsonLinesExport(@TempDir Path dir) throws Exception {
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).demoData(DemoData.of(4, 1500)).start()) {
      Path json = dir.resolve("json");
      Path parquet = dir.resolve("parquet");
      CommandProcess jsonRun = jar("export", "--project=" + DemoData.DEFAULT_PROJECT,
          "--endpoint=" + emu.storageUrl(), "--format=jsonl", "--output=" + json);
      assertEquals(0, jsonRun.waitFor(Duration.ofMinutes(3)), jsonRun.output());
      CommandProcess parquetRun = jar("export", "--project=" + DemoData.DEFAULT_PROJECT,
          "--endpoint=" + emu.storageUrl(), "--format=parquet", "--output=" + parquet);
      assertEquals(0, parquetRun.waitFor(Duration.ofMinutes(3)), parquetRun.output());

      Schema schema = schema(emu);
      Map<String, List<Object>> rows = InferredRows.fromParquetFiles(parquet, schema);
      assertEquals(4 * 1500, rows.size(), parquetRun.output());
      assertEquals(InferredRows.itemsFromJsonLinesFiles(json, schema), InferredRows.itemsOnly(rows, schema));
      assertEquals(InferredRows.stored(emu, DemoData.DEFAULT_PROJECT, RecordType.ITEMS, schema), rows);
      assertCodec(parquet, CompressionCodecName.UNCOMPRESSED);
    }
  }

  @Test
  void aKilledZstdParquetExportResumesToEveryItemExactlyOnce(@TempDir Path dir) throws Exception {
    // 1 MB/s per response stream: the run lasts long enough to be killed after its first commit.
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).demoData(DemoData.of(6, 3000))
        .bandwidthMbps(1).start()) {
      Path out = dir.resolve("export");
      Path parts = out.resolveSibling(".export.unfinished").resolve("files");
      String[] args = {"export", "--project=" + DemoData.DEFAULT_PROJECT, "--endpoint=" + emu.storageUrl(),
          "--format=parquet", "--compression=zstd", "--output=" + out, "--parallelism=2", "--commit-every=1s"};
      CommandProcess killed = jar(args);
      boolean killedMidway = killed.killAfterFirstCommit(parts);

      CommandProcess resumed = jar(args);
      assertEquals(0, resumed.waitFor(Duration.ofMinutes(3)), killed.output() + "\n" + resumed.output());
      if (killedMidway) {
        assertTrue(resumed.lines.get(0).startsWith("Resuming the interrupted export"), resumed.output());
      }
      try (var files = Files.list(out)) {
        assertTrue(files.allMatch(f -> f.getFileName().toString().matches("part-[0-9a-f]{8}-\\d{5}\\.parquet")),
            "only Parquet parts are published");
      }
      Schema schema = schema(emu);
      assertEquals(InferredRows.stored(emu, DemoData.DEFAULT_PROJECT, RecordType.ITEMS, schema),
          InferredRows.fromParquetFiles(out, schema), resumed.output());
      assertCodec(out, CompressionCodecName.ZSTD);
    }
  }

  private static Schema schema(ScrapyCloudEmulator emu) {
    return ScrapinghubIO.read().withConnection(ScrapinghubConnection.create().withApiKey(KEY)
        .withStorageEndpoint(emu.storageUrl()).withDashEndpoint(emu.dashUrl()))
        .withProject(DemoData.DEFAULT_PROJECT).inferSchema();
  }

  /** Every column chunk of every file is compressed with {@code codec}. */
  private static void assertCodec(Path out, CompressionCodecName codec) throws Exception {
    try (var files = Files.list(out)) {
      for (Path f : files.toList()) {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(f))) {
          reader.getFooter().getBlocks().forEach(b -> b.getColumns().forEach(c ->
              assertEquals(codec, c.getCodec(), f.getFileName() + " " + c.getPath())));
        }
      }
    }
  }

  private static CommandProcess jar(String... args) throws Exception {
    return CommandProcess.cliJar(KEY, args);
  }
}
