package io.scrapinghubio.cli.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.beam.rows.RowSchemas;
import io.scrapinghubio.cli.CliRun;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.store.JobState;
import io.scrapinghubio.emulator.store.ProjectState;
import io.scrapinghubio.emulator.store.RecordType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code export --format=parquet}: read back by Parquet's own reader, the rows equal the service's
 * records on the inferred schema, row by row, whichever writer wrote them and with each page
 * compression.
 */
class ParquetExportTest {
  private static final String KEY = "0123456789abcdef0123456789abcdef";
  private static final long PROJECT = 92;
  /** Nulls, empty text, nesting, arrays with nulls, mixed types, a name Avro does not take. */
  private static final List<String> AWKWARD_ITEMS = List.of(
      "{\"title\":\"Plain\",\"price\":12,\"tags\":[\"a\",\"b\"],\"dims\":{\"w\":3,\"h\":1.5},\"ok\":true}",
      "{\"title\":\"Comma, \\\"quotes\\\"\\r\\nand a newline\",\"price\":9.5,\"tags\":[],\"dims\":{\"w\":4},"
          + "\"note\":\"\",\"ok\":false}",
      "{\"title\":\"Ünïcödé €\",\"price\":null,\"variants\":[{\"sku\":\"x\",\"n\":1},{\"sku\":\"y,z\",\"n\":2}],"
          + "\"mixed\":\"text\"}",
      "{\"title\":\"\",\"mixed\":{\"a\":[1,\"b\"]},\"prix €\":3,\"_key\":\"not the record's\",\"tags\":[null,\"c\"]}",
      "{\"mixed\":7,\"tags\":[\"only\\\"quote\"],\"dims\":null,\"2nd\":true}");

  @ParameterizedTest
  @CsvSource({"resumable parts, UNCOMPRESSED", "--shards=2, UNCOMPRESSED", "--compression=zstd, ZSTD",
      "--compression=gzip, GZIP"})
  void rowsReadBackEqualTheItems(String writer, CompressionCodecName codec, @org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).start()) {
      finishedJob(emu, AWKWARD_ITEMS.subList(0, 3));
      finishedJob(emu, AWKWARD_ITEMS.subList(3, 5));
      Path out = dir.resolve("out");
      CliRun run = CliRun.run(Map.of("SH_APIKEY", KEY), "export", "--project=" + PROJECT,
          "--endpoint=" + emu.storageUrl(), "--runner=direct", "--progress=none", "--format=parquet",
          "--output=" + out, writer.startsWith("--") ? writer : "--verbose");
      assertEquals(0, run.exitCode(), run.toString());
      Schema schema = ScrapinghubIO.read().withConnection(ScrapinghubConnection.create().withApiKey(KEY)
          .withStorageEndpoint(emu.storageUrl()).withDashEndpoint(emu.dashUrl())).withProject(PROJECT).inferSchema();
      assertTrue(RowSchemas.holdsJson(schema.getField("mixed")), RowSchemas.describe(schema));
      Map<String, List<Object>> expected = InferredRows.stored(emu, PROJECT, RecordType.ITEMS, schema);
      assertEquals(AWKWARD_ITEMS.size(), expected.size());
      try (var files = Files.list(out)) {
        for (Path f : files.toList()) {
          String name = f.getFileName().toString();
          assertTrue(name.matches("part-.*\\.parquet"), "only Parquet files are published: " + name);
          try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(f))) {
            reader.getFooter().getBlocks().forEach(b -> b.getColumns().forEach(c ->
                assertEquals(codec, c.getCodec(), name + " " + c.getPath())));
          }
        }
      }
      assertEquals(expected, InferredRows.fromParquetFiles(out, schema));
    }
  }

  private static void finishedJob(ScrapyCloudEmulator emu, List<String> items) {
    ProjectState p = emu.state().project(PROJECT);
    JobState job = p.createJob(p.addSpider("shop" + p.jobs().size()), "finished", List.of(), 2, 1, Map.of(),
        ProjectState.Origin.DASH);
    emu.state().appendItems(job.key(), items);
  }
}
