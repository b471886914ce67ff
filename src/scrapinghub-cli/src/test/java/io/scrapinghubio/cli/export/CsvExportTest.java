package io.scrapinghubio.cli.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.beam.rows.RowSchemas;
import io.scrapinghubio.beam.ScrapinghubRead;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import io.scrapinghubio.cli.CliRun;
import io.scrapinghubio.client.read.JobDataType;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.demo.DemoData;
import io.scrapinghubio.emulator.store.JobState;
import io.scrapinghubio.emulator.store.ProjectState;
import io.scrapinghubio.emulator.store.RecordType;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.schemas.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code export --format=csv}: read back by another parser, the rows equal the service's records on
 * the schema inferred from them, row by row, whichever writer wrote them and whatever the data type.
 */
class CsvExportTest {
  private static final String KEY = "0123456789abcdef0123456789abcdef";
  private static final long PROJECT = 91;
  /** What CSV makes hard: separators, quotes and newlines in text, empty text and null, nesting, mixed types. */
  private static final List<String> AWKWARD_ITEMS = List.of(
      "{\"title\":\"Plain\",\"price\":12,\"tags\":[\"a\",\"b\"],\"dims\":{\"w\":3,\"h\":1.5},\"ok\":true}",
      "{\"title\":\"Comma, \\\"quotes\\\"\\r\\nand a newline\",\"price\":9.5,\"tags\":[],\"dims\":{\"w\":4},"
          + "\"note\":\"\",\"ok\":false}",
      "{\"title\":\"Ünïcödé €\",\"price\":null,\"variants\":[{\"sku\":\"x\",\"n\":1},{\"sku\":\"y,z\",\"n\":2}],"
          + "\"mixed\":\"text\"}",
      "{\"title\":\"\",\"mixed\":{\"a\":[1,\"b\"]},\"prix €\":3,\"_key\":\"not the record's\"}",
      "{\"mixed\":7,\"tags\":[\"only\\\"quote\"],\"dims\":null}");

  @ParameterizedTest
  @ValueSource(strings = {"resumable parts", "--shards=2", "--compression=gzip", "--output=-"})
  void rowsReadBackEqualTheItems(String writer, @TempDir Path dir) throws Exception {
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).start()) {
      finishedJob(emu, AWKWARD_ITEMS.subList(0, 3));
      finishedJob(emu, AWKWARD_ITEMS.subList(3, 5));
      Path out = dir.resolve("out");
      boolean toStdout = writer.equals("--output=-");
      CliRun run = CliRun.run(Map.of("SH_APIKEY", KEY), "export", "--project=" + PROJECT,
          "--endpoint=" + emu.storageUrl(), "--runner=direct", "--progress=none", "--format=csv",
          toStdout ? writer : "--output=" + out, writer.startsWith("--") && !toStdout ? writer : "--verbose");
      assertEquals(0, run.exitCode(), run.toString());
      Schema schema = inferredSchema(emu, JobDataType.ITEMS);
      assertTrue(RowSchemas.holdsJson(schema.getField("mixed")), RowSchemas.describe(schema));
      Map<String, List<Object>> expected = InferredRows.stored(emu, PROJECT, RecordType.ITEMS, schema);
      assertEquals(AWKWARD_ITEMS.size(), expected.size());
      Map<String, List<Object>> exported = toStdout
          ? InferredRows.fromCsv(new StringReader(run.out()), schema) : readFiles(out, schema);
      assertEquals(InferredRows.withEmptyTextAsNull(expected), exported);
      if (toStdout) {
        // the text itself: the header, an empty string quoted and a null left empty, CRLF
        assertTrue(run.out().startsWith("_key,_job,dims,mixed,note,ok,price,prix €,tags,title,variants\r\n"),
            run.out());
        assertTrue(run.out().contains("\r\n91/2/1/0,91/2/1,,\"{\"\"a\"\":[1,\"\"b\"\"]}\",,,,3,,\"\",\r\n"),
            run.out());
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"logs, LOGS, LOGS", "requests, REQUESTS, REQUESTS"})
  void eachDataTypeHasColumnsOfItsOwn(String option, RecordType type, JobDataType dataType, @TempDir Path dir)
      throws Exception {
    DemoData demo = DemoData.of(3, 5).withLogsPerJob(40).withRequestsPerJob(30);
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).demoData(demo).start()) {
      Path out = dir.resolve("out");
      CliRun run = CliRun.run(Map.of("SH_APIKEY", KEY), "export", "--project=" + DemoData.DEFAULT_PROJECT,
          "--endpoint=" + emu.storageUrl(), "--runner=direct", "--progress=none", "--data-type=" + option,
          "--format=csv", "--output=" + out);
      assertEquals(0, run.exitCode(), run.toString());
      Schema schema = ScrapinghubIO.read().withConnection(connection(emu)).withProject(DemoData.DEFAULT_PROJECT)
          .withDataType(dataType).inferSchema();
      Map<String, List<Object>> expected = InferredRows.stored(emu, DemoData.DEFAULT_PROJECT, type, schema);
      assertFalse(expected.isEmpty());
      assertEquals(expected, readFiles(out, schema));
    }
  }

  @Test
  void noMatchingJobWritesNothingAndSaysSo(@TempDir Path dir) {
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).start()) {
      finishedJob(emu, AWKWARD_ITEMS);
      CliRun run = CliRun.run(Map.of("SH_APIKEY", KEY), "export", "--project=" + PROJECT,
          "--endpoint=" + emu.storageUrl(), "--runner=direct", "--progress=none", "--format=csv",
          "--has-tag=nothing-has-it", "--output=" + dir.resolve("out"));
      assertEquals(0, run.exitCode(), run.toString());
      assertTrue(run.out().contains("No job matched"), run.toString());
    }
  }

  /**
   * A run that resumes an interrupted one writes the columns that run chose, not a new sample's:
   * jobs finished since could add a column, and then the parts already written would disagree with
   * the rest. The interrupted run is set up by hand here (its command, its kept columns, no part yet),
   * with columns a sample of today's items would never give.
   */
  @Test
  void aResumedExportKeepsTheColumnsOfTheRunItResumes(@TempDir Path dir) throws Exception {
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).start()) {
      finishedJob(emu, AWKWARD_ITEMS.subList(0, 3));
      Path out = dir.resolve("out");
      Path unfinished = dir.resolve(".out.unfinished");
      Files.createDirectories(unfinished.resolve("files"));
      // What the export keeps as its command: the options that change what is written, sorted.
      Files.writeString(unfinished.resolve("command"),
          "--endpoint=" + emu.storageUrl() + " --format=csv --project=" + PROJECT);
      Schema before = Schema.builder().addNullableField(RowSchemas.KEY_FIELD, Schema.FieldType.STRING)
          .addNullableField(RowSchemas.JOB_FIELD, Schema.FieldType.STRING)
          .addNullableField("title", Schema.FieldType.STRING).build();
      Files.write(unfinished.resolve("settled-columns"), SettledColumns.encode(before));
      CliRun run = CliRun.run(Map.of("SH_APIKEY", KEY), "export", "--project=" + PROJECT,
          "--endpoint=" + emu.storageUrl(), "--runner=direct", "--progress=none", "--format=csv",
          "--output=" + out, "--verbose");
      assertEquals(0, run.exitCode(), run.toString());
      assertFalse(run.toString().contains("another command"), run.toString());
      assertTrue(run.err().contains("columns, those of the interrupted run"), run.toString());
      try (var files = Files.list(out)) {
        for (Path f : files.toList()) {
          assertTrue(Files.readString(f).startsWith("_key,_job,title\r\n"), f + ": " + Files.readString(f));
        }
      }
      assertEquals(InferredRows.withEmptyTextAsNull(InferredRows.stored(emu, PROJECT, RecordType.ITEMS, before)),
          readFiles(out, before));
      assertFalse(Files.exists(unfinished), "published: nothing unfinished is left");
    }
  }

  @Test
  void keptColumnsComeBackExactly() {
    Schema nested = Schema.builder().addStringField("a").addNullableField("b", Schema.FieldType.INT64).build();
    Schema schema = Schema.builder().addNullableField(RowSchemas.KEY_FIELD, Schema.FieldType.STRING)
        .addNullableField("n", Schema.FieldType.DOUBLE).addNullableField("ok", Schema.FieldType.BOOLEAN)
        .addNullableField("dims", Schema.FieldType.row(nested))
        .addNullableField("tags", Schema.FieldType.array(Schema.FieldType.STRING))
        .addField(Schema.Field.nullable("json", Schema.FieldType.STRING)
            .withOptions(Schema.Options.builder().setOption(RowSchemas.JSON_OPTION, Schema.FieldType.BOOLEAN, true))).build();
    Schema back = SettledColumns.decode(SettledColumns.encode(schema), "test");
    assertTrue(schema.equivalent(back) && schema.getFieldNames().equals(back.getFieldNames()), back.toString());
    assertTrue(RowSchemas.holdsJson(back.getField("json")), back.toString());
  }

  /** Every CSV file of the export: only CSV parts (and, while resumable, their .ranges) are there. */
  private static Map<String, List<Object>> readFiles(Path out, Schema schema) throws Exception {
    try (var files = Files.list(out)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        assertTrue(name.endsWith(".csv") || name.endsWith(".csv.gz"), name);
      }
    }
    return InferredRows.fromCsvFiles(out, schema);
  }

  private static Schema inferredSchema(ScrapyCloudEmulator emu, JobDataType type) {
    ScrapinghubRead<ScrapinghubRecord> read = ScrapinghubIO.read().withConnection(connection(emu)).withProject(PROJECT);
    return (type == JobDataType.ITEMS ? read : read.withDataType(type)).inferSchema();
  }

  private static ScrapinghubConnection connection(ScrapyCloudEmulator emu) {
    return ScrapinghubConnection.create().withApiKey(KEY).withStorageEndpoint(emu.storageUrl())
        .withDashEndpoint(emu.dashUrl());
  }

  private static void finishedJob(ScrapyCloudEmulator emu, List<String> items) {
    ProjectState p = emu.state().project(PROJECT);
    JobState job = p.createJob(p.addSpider("shop" + p.jobs().size()), "finished", List.of(), 2, 1, Map.of(),
        ProjectState.Origin.DASH);
    emu.state().appendItems(job.key(), items);
  }
}
