package io.scrapinghubio.cli.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.cli.CliRun;
import io.scrapinghubio.cli.DemoItems;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.demo.DemoData;
import io.scrapinghubio.emulator.store.JobState;
import io.scrapinghubio.emulator.store.ProjectState;
import io.scrapinghubio.emulator.store.RecordType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code export --with=key,job,spider,ts}: every line is the stored record with the fields asked
 * for first, their values those of the emulator (the record's key, its job, the job's spider by
 * name, the record's store time), through each writer; the summary's bytes are still the files'.
 */
class ProvenanceExportTest {
  static final String KEY = "0123456789abcdef0123456789abcdef";
  private static final Pattern SUMMARY = Pattern.compile("Exported .* ([\\d.]+) MB in .*");

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "items; key,job,spider,ts; ",          // the resumable writer
      "logs; ts,spider; --shards=2",         // Beam's file sink; the fields come in line order whatever the order asked
      "requests; job,key; --output=-"})      // standard output
  void everyLineCarriesTheFieldsAskedFor(String dataType, String with, String extra, @TempDir Path dir) throws Exception {
    DemoData demo = DemoData.of(4, 30).withLogsPerJob(20).withRequestsPerJob(10);
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).demoData(demo).start()) {
      Path out = dir.resolve("out");
      boolean toStdout = "--output=-".equals(extra);
      List<String> args = new ArrayList<>(List.of("export", "--project=" + DemoData.DEFAULT_PROJECT,
          "--endpoint=" + emu.storageUrl(), "--runner=direct", "--progress=none", "--data-type=" + dataType,
          "--with=" + with));
      args.add(toStdout ? "--output=-" : "--output=" + out);
      if (extra != null && !toStdout) {
        args.add(extra);
      }
      CliRun run = CliRun.run(Map.of("SH_APIKEY", KEY), args.toArray(new String[0]));
      assertEquals(0, run.exitCode(), run.toString());

      Map<String, Integer> expected = DemoItems.withProvenance(emu, DemoData.DEFAULT_PROJECT, RecordType.valueOf(dataType.toUpperCase(Locale.ROOT)), with);
      assertFalse(expected.isEmpty());
      if (toStdout) {
        Map<String, Integer> lines = new HashMap<>();
        run.outLines().forEach(l -> lines.merge(l, 1, Integer::sum));
        assertEquals(expected, lines);
        return;
      }
      List<Path> files;
      try (var list = Files.list(out)) {
        files = list.toList();
      }
      assertEquals(expected, DemoItems.lines(files));
      String last = run.outLines().get(run.outLines().size() - 1);
      Matcher m = SUMMARY.matcher(last);
      assertTrue(m.matches(), last);
      long bytes = 0;
      for (Path f : files) {
        bytes += Files.size(f);
      }
      assertEquals(String.format(Locale.ROOT, "%.1f", bytes / 1e6), m.group(1), "the summary's MB are the files' size: " + last);
    }
  }

  @Test
  void anUnknownFieldIsNamedWithTheAcceptedOnes(@TempDir Path dir) {
    CliRun run = CliRun.run("export", "--demo-jobs=1", "--demo-items-per-job=1", "--runner=direct",
        "--with=key,owner", "--output=" + dir.resolve("out"));
    assertEquals(2, run.exitCode(), run.toString());
    assertEquals(1, run.errLines().size(), "one line: " + run);
    assertTrue(run.err().contains("'owner'") && run.err().contains("key, job, spider, ts"), run.toString());
    assertFalse(Files.exists(dir.resolve("out")));
  }

  @Test
  void samplesAreRefusedForTheyAreArrays(@TempDir Path dir) {
    CliRun run = CliRun.run("export", "--demo-jobs=1", "--demo-items-per-job=1", "--runner=direct",
        "--data-type=samples", "--with=job", "--output=" + dir.resolve("out"));
    assertEquals(2, run.exitCode(), run.toString());
    assertEquals(1, run.errLines().size(), "one line: " + run);
    assertTrue(run.err().contains("samples are JSON arrays"), run.toString());
  }

  @Test
  void anItemWithAFieldOfTheSameNameFailsTheExportRatherThanLoseIt(@TempDir Path dir) {
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).start()) {
      ProjectState p = emu.state().project(5);
      JobState job = p.createJob(p.addSpider("shop"), "finished", List.of(), 2, 1, Map.of(), ProjectState.Origin.DASH);
      emu.state().appendItems(job.key(), List.of(Map.of("name", "a"), Map.of("name", "b", "_job", "mine")));
      CliRun run = CliRun.run(Map.of("SH_APIKEY", KEY), "export", "--project=5", "--endpoint=" + emu.storageUrl(),
          "--runner=direct", "--progress=none", "--with=job", "--output=" + dir.resolve("out"));
      assertEquals(1, run.exitCode(), run.toString());
      assertTrue(run.err().contains("record " + job.key() + "/1 already has a field _job"), run.toString());
      assertFalse(Files.exists(dir.resolve("out")));

      // Another field is added, and the item's own _job kept.
      run = CliRun.run(Map.of("SH_APIKEY", KEY), "export", "--project=5", "--endpoint=" + emu.storageUrl(),
          "--runner=direct", "--progress=none", "--with=spider", "--output=" + dir.resolve("out2"));
      assertEquals(0, run.exitCode(), run.toString());
    }
  }
}
