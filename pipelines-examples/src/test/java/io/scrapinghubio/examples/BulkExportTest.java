package io.scrapinghubio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.emulator.store.JobState;
import io.scrapinghubio.emulator.store.RecordLog;
import io.scrapinghubio.emulator.store.RecordType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example against its embedded emulator, with the arguments its main method takes: every stored
 * item is exported exactly once, into the directory its last line names.
 */
class BulkExportTest {

  @Test
  void exportsEveryItemOnceIntoTheDirectoryItsLastLineNames(@TempDir Path dir) throws Exception {
    Path output = dir.resolve("export");
    String[] args = {"--runner=DirectRunner", "--output=" + output, "--demo-jobs=4", "--demo-items-per-job=300"};
    try (ExampleEnvironment env = ExampleEnvironment.fromArgs(args)) {
      BulkExport.Summary summary = BulkExport.run(env.connection(), env.project(),
          ExampleArgs.options(env.beamArgs(), BulkExport.Options.class));

      Path printed = PrintedPath.in(summary.toString(), " to ", ":");
      assertEquals(output, printed, summary.toString());
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
      for (Path f : PrintedPath.entries(printed)) {
        assertTrue(f.getFileName().toString().matches("part-\\d{5}-of-\\d{5}\\.jl"),
            "the output holds the export's files only (no .temp-beam): " + f.getFileName());
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          got.merge(line, 1, Integer::sum);
        }
      }
      assertEquals(summary.files().size(), PrintedPath.entries(printed).size(), summary.toString());
      assertEquals(4 * 300, expected.values().stream().mapToInt(Integer::intValue).sum());
      assertEquals(expected, got, "exported lines must be exactly the stored items");
      assertFalse(Files.exists(OutputDirectory.staging(output)), "the staging directory beside the output is removed");
    }
  }

  /** A relative --output is where the example was started (here: the module's directory), and the line says so, absolute. */
  @Test
  void aRelativeOutputIsPrintedAbsoluteWhereTheFilesAre() throws Exception {
    String relative = "target/example-outputs/bulk-export-" + UUID.randomUUID();
    String[] args = {"--runner=DirectRunner", "--output=" + relative, "--demo-jobs=2", "--demo-items-per-job=50"};
    try (ExampleEnvironment env = ExampleEnvironment.fromArgs(args)) {
      BulkExport.Summary summary = BulkExport.run(env.connection(), env.project(),
          ExampleArgs.options(env.beamArgs(), BulkExport.Options.class));
      Path printed = PrintedPath.in(summary.toString(), " to ", ":");
      assertTrue(printed.isAbsolute(), summary.toString());
      assertEquals(Path.of(relative).toAbsolutePath(), printed);
      List<Path> files = PrintedPath.entries(printed);
      assertFalse(files.isEmpty(), "files in " + printed);
      assertEquals(100, OutputDirectory.lines(files));
    } finally {
      PrintedPath.delete(Path.of(relative));
    }
  }
}
