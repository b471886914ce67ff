package io.scrapinghubio.cli.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.cli.CliRun;
import io.scrapinghubio.cli.DemoItems;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.demo.DemoData;
import io.scrapinghubio.emulator.store.JobState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export --consumed-tag}: an hourly delivery. Each run exports the finished jobs that no run
 * has exported yet, tags them once its output is published, and a run with nothing new says so.
 */
class ConsumedTagExportTest {
  private static final String KEY = "0123456789abcdef0123456789abcdef";
  private static final long PROJECT = DemoData.DEFAULT_PROJECT;

  private static CliRun export(ScrapyCloudEmulator emu, Path out, String... extra) {
    List<String> args = new java.util.ArrayList<>(List.of("export", "--project=" + PROJECT,
        "--endpoint=" + emu.storageUrl(), "--runner=direct", "--progress=none", "--output=" + out));
    args.addAll(List.of(extra));
    return CliRun.run(Map.of("SH_APIKEY", KEY), args.toArray(new String[0]));
  }

  private static TreeSet<String> tagged(ScrapyCloudEmulator emu, String tag) {
    return emu.state().project(PROJECT).jobs().stream()
        .filter(j -> String.valueOf(j.get("tags")).contains(tag)).map(JobState::key)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Map<String, Integer> lines(Path dir) throws Exception {
    try (var files = Files.list(dir)) {
      return DemoItems.lines(files.toList());
    }
  }

  private static Map<String, Integer> minus(Map<String, Integer> all, Map<String, Integer> seen) {
    Map<String, Integer> left = new HashMap<>(all);
    seen.forEach((line, n) -> left.merge(line, -n, (a, b) -> a + b == 0 ? null : a + b));
    return left;
  }

  @Test
  void eachRunExportsOnlyTheJobsFinishedSinceTheLastAndTagsThemOncePublished(@TempDir Path dir) throws Exception {
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).demoData(DemoData.of(3, 40)).start()) {
      List<String> first = emu.demoJobs();
      Map<String, Integer> before = DemoItems.stored(emu, PROJECT);

      CliRun one = export(emu, dir.resolve("one"), "--consumed-tag=exported");
      assertEquals(0, one.exitCode(), one.toString());
      assertEquals(before, lines(dir.resolve("one")));
      assertEquals(new TreeSet<>(first), tagged(emu, "exported"), one.toString());
      assertTrue(one.out().contains("Tagged 3 jobs 'exported'"), one.toString());
      assertTrue(one.outLines().get(0).contains("not tagged exported"), "the selection says it: " + one);

      List<String> later = emu.seed(DemoData.of(2, 25).withSeed(9));
      CliRun two = export(emu, dir.resolve("two"), "--consumed-tag=exported");
      assertEquals(0, two.exitCode(), two.toString());
      assertEquals(minus(DemoItems.stored(emu, PROJECT), before), lines(dir.resolve("two")),
          "the second run holds the new jobs' items only");
      assertEquals(2, later.size());
      TreeSet<String> all = new TreeSet<>(first);
      all.addAll(later);
      assertEquals(all, tagged(emu, "exported"));

      CliRun three = export(emu, dir.resolve("three"), "--consumed-tag=exported");
      assertEquals(0, three.exitCode(), three.toString());
      assertEquals(Map.of(), lines(dir.resolve("three")));
      assertTrue(three.out().contains("No job matched") && three.out().contains("'exported'"), three.toString());
    }
  }

  /** A run that does not publish (its output exists, no --overwrite: refused) tags nothing. */
  @Test
  void aRunThatPublishesNothingTagsNothing(@TempDir Path dir) throws Exception {
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).demoData(DemoData.of(2, 10)).start()) {
      Files.createDirectories(dir.resolve("taken"));
      CliRun refused = export(emu, dir.resolve("taken"), "--consumed-tag=exported");
      assertEquals(2, refused.exitCode(), refused.toString());
      assertEquals(new TreeSet<>(), tagged(emu, "exported"));
      CliRun bad = export(emu, dir.resolve("x"), "--consumed-tag=a,b");
      assertEquals(2, bad.exitCode(), bad.toString());
      assertTrue(bad.err().contains("--consumed-tag='a,b' is not a tag"), bad.toString());
    }
  }
}
