package io.scrapinghubio.cli.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.cli.CliRun;
import io.scrapinghubio.cli.DemoItems;
import io.scrapinghubio.cli.options.RunnerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The README's main job, {@code export} in demo mode, on the Direct runner and on embedded Flink:
 * every item of every finished demo job ends up in the exported files exactly once, the summary
 * adds up, and the output directory is only ever the complete export.
 */
class ExportPipelineTest {
  private static final int JOBS = 6;
  private static final int ITEMS_PER_JOB = 700;
  private static final Pattern SUMMARY = Pattern.compile("Exported ([\\d,]+) jobs?, ([\\d,]+) items?, ([\\d.]+) MB in .* to (.*)");

  private static CliRun exportAndCheck(String runner, Path dir, int shardCount, boolean overwrite, String... extra)
      throws Exception {
    return exportAndCheck(runner, dir, shardCount, shardCount, overwrite, extra);
  }

  /** @param expectedFiles the number of files expected: {@code shardCount}, or the runner's choice when that is 0 */
  private static CliRun exportAndCheck(String runner, Path dir, int shardCount, int expectedFiles, boolean overwrite,
      String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("export", "--runner=" + runner, "--output=" + dir,
        "--shards=" + shardCount, "--demo-jobs=" + JOBS, "--demo-items-per-job=" + ITEMS_PER_JOB));
    if (overwrite) {
      args.add("--overwrite");
    }
    args.addAll(List.of(extra));
    CliRun run = CliRun.run(args.toArray(new String[0]));
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.outLines().get(0).startsWith("Demo mode"), "the first line says it runs on demo data: " + run);

    // Expected: every item of every finished job, as stored.
    Map<String, Integer> expected = DemoItems.demo(JOBS, ITEMS_PER_JOB);
    List<Path> shards;
    try (var files = Files.list(dir)) {
      shards = files.collect(Collectors.toList());
    }
    assertEquals(expectedFiles, shards.size(), "sharded output, nothing else " + shards);
    for (Path f : shards) {
      assertTrue(f.getFileName().toString().endsWith(".jl"), f.toString());
    }
    assertEquals(JOBS * ITEMS_PER_JOB, DemoItems.total(expected));
    assertEquals(expected, DemoItems.lines(shards), "exported lines must be exactly the stored items");

    String last = run.outLines().get(run.outLines().size() - 1);
    Matcher summary = SUMMARY.matcher(last);
    assertTrue(summary.matches(), "summary line: " + last);
    assertEquals(JOBS, Long.parseLong(summary.group(1).replace(",", "")));
    assertEquals(JOBS * ITEMS_PER_JOB, Long.parseLong(summary.group(2).replace(",", "")));
    long fileBytes = 0;
    for (Path f : shards) {
      fileBytes += Files.size(f);
    }
    assertEquals(String.format(java.util.Locale.ROOT, "%.1f", fileBytes / 1e6), summary.group(3),
        "the summary's MB are the files' size: " + last);
    assertEquals(dir.toAbsolutePath().normalize().toString(), summary.group(4));
    try (var siblings = Files.list(dir.getParent())) {
      assertEquals(List.of(dir), siblings.collect(Collectors.toList()), "no staging directory left behind");
    }
    return run;
  }

  @Test
  void embeddedFlinkIsTheDefaultRunner() {
    RunnerOptions options = new RunnerOptions();
    CommandLine cl = new CommandLine(options);
    cl.parseArgs();
    // embedded Flink: twice the cores by default (reads wait on the network)
    String twice = "--parallelism=" + Math.min(64, 2 * Runtime.getRuntime().availableProcessors());
    assertEquals(List.of("--runner=FlinkRunner", twice, "--fasterCopy=true"), options.beamArgs(cl.getCommandSpec()));
    cl.parseArgs("--runner=direct");
    assertEquals(List.of("--runner=DirectRunner"), options.beamArgs(cl.getCommandSpec()));
    cl.parseArgs("--", "--fasterCopy=false");
    assertEquals(List.of("--runner=FlinkRunner", twice, "--fasterCopy=false"), options.beamArgs(cl.getCommandSpec()));
    cl.parseArgs("--", "--parallelism=5");
    assertEquals(List.of("--runner=FlinkRunner", "--fasterCopy=true", "--parallelism=5"), options.beamArgs(cl.getCommandSpec()));
    cl.parseArgs("--parallelism=3", "--flink-master=jm:8081");
    assertEquals(List.of("--runner=FlinkRunner", "--flinkMaster=jm:8081", "--parallelism=3", "--fasterCopy=true"),
        options.beamArgs(cl.getCommandSpec()));
  }

  /** Running twice on one output: refused unless asked to overwrite; then no stale shard survives. */
  @Test
  void rerunOnSameOutput(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("export");
    exportAndCheck("direct", out, 3, false);
    CliRun refused = CliRun.run("export", "--runner=direct", "--output=" + out, "--demo-jobs=1", "--demo-items-per-job=1");
    assertEquals(2, refused.exitCode(), refused.toString());
    assertEquals(1, refused.errLines().size(), "one line: " + refused);
    assertTrue(refused.err().contains(out.toString()) && refused.err().contains("--overwrite"), refused.toString());
    assertEquals("", refused.out(), "refused before anything starts: " + refused);
    exportAndCheck("direct", out, 2, true); // asserts exactly 2 shards holding each item once
  }

  /**
   * {@code --output=-}: the stored items as JSON lines on stdout and nothing else there; the
   * messages (first line, summary) on stderr; no directory named "-".
   */
  @ParameterizedTest
  @ValueSource(strings = {"direct", "flink"})
  @Tag("flink")
  void toStandardOutput(String runner, @TempDir Path dir) throws Exception {
    CliRun run = CliRun.run("export", "--runner=" + runner, "--output=-", "--demo-jobs=" + JOBS,
        "--demo-items-per-job=" + ITEMS_PER_JOB, "--progress=none");
    assertEquals(0, run.exitCode(), run.toString());
    Path lines = Files.writeString(dir.resolve("stdout.jl"), run.out());
    assertEquals(DemoItems.demo(JOBS, ITEMS_PER_JOB), DemoItems.lines(List.of(lines)), "stdout holds the items only");
    assertTrue(run.errLines().get(0).startsWith("Demo mode"), run.err());
    String last = run.errLines().get(run.errLines().size() - 1);
    Matcher summary = SUMMARY.matcher(last);
    assertTrue(summary.matches(), last);
    assertEquals("standard output", summary.group(4));
    assertEquals(String.format(java.util.Locale.ROOT, "%.1f", Files.size(lines) / 1e6), summary.group(3), last);
    assertFalse(Files.exists(Path.of("-")), "no directory named -");
  }

  @Test
  void direct(@TempDir Path dir) throws Exception {
    exportAndCheck("direct", dir.resolve("export"), 3, false);
  }

  @Test
  @Tag("flink")
  void embeddedFlink(@TempDir Path dir) throws Exception {
    CliRun run = exportAndCheck("flink", dir.resolve("export"), 3, false, "--parallelism=2", "--verbose");
    assertTrue(run.outLines().get(1).contains("embedded Flink, parallelism 2"), run.toString());
    assertFalse(run.err().contains("collection executor"), "a parallelism asked for runs on the cluster: " + run);
  }

  /**
   * A small selection on embedded Flink with the command's defaults skips the cluster: same items,
   * same summary, one file (one worker). A fixed number of shards groups the records, which that
   * executor gets wrong with Flink's fasterCopy (one line per shard): such an export runs on the cluster.
   */
  @Test
  @Tag("flink")
  void smallSelectionOnEmbeddedFlinkRunsWithoutACluster(@TempDir Path dir) throws Exception {
    CliRun run = exportAndCheck("flink", dir.resolve("export"), 0, 1, false, "--verbose");
    assertTrue(run.outLines().get(1).contains("with embedded Flink, parallelism "
        + io.scrapinghubio.cli.options.RunnerOptions.defaultEmbeddedParallelism() + " (twice the cores"), run.toString());
    assertTrue(run.err().contains("Flink's collection executor"), run.toString());
    CliRun sharded = exportAndCheck("flink", dir.resolve("export"), 3, true, "--verbose");
    assertFalse(sharded.err().contains("collection executor"), sharded.toString());
  }

  /**
   * The progress's "of N" is the read's own count, taken from its plan once every job is listed and
   * sized, without a second listing: at the end it equals the items written, in jobs as many as the
   * selection holds. On the Direct runner, and on Flink's collection executor (where a step runs
   * over all of its input before the next starts, so the total comes before the first item).
   */
  @Test
  void theProgressTotalIsTheReadsOwnCount(@TempDir Path dir) throws Exception {
    progressTotal(org.apache.beam.sdk.options.PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create(), dir);
  }

  @Test
  @Tag("flink")
  void theProgressTotalIsTheReadsOwnCountOnTheCollectionExecutor(@TempDir Path dir) throws Exception {
    RunnerOptions runner = new RunnerOptions();
    CommandLine cl = new CommandLine(runner);
    cl.parseArgs();
    org.apache.beam.sdk.options.PipelineOptions options = runner.pipelineOptions(cl.getCommandSpec());
    assertTrue(SmallExport.chooseFor(options,
        java.util.concurrent.CompletableFuture.completedFuture(new SmallSelectionProbe.Size(1, 1, 1))));
    progressTotal(options, dir);
  }

  private static void progressTotal(org.apache.beam.sdk.options.PipelineOptions options, Path dir) throws Exception {
    String key = "0123456789abcdef0123456789abcdef";
    try (io.scrapinghubio.emulator.ScrapyCloudEmulator emu = io.scrapinghubio.emulator.ScrapyCloudEmulator.builder()
            .apiKey(key).demoData(io.scrapinghubio.emulator.demo.DemoData.of(JOBS, ITEMS_PER_JOB)).start();
        io.scrapinghubio.cli.progress.LiveCounts counts = io.scrapinghubio.cli.progress.LiveCounts.open()) {
      io.scrapinghubio.beam.connection.ScrapinghubConnection connection =
          io.scrapinghubio.beam.connection.ScrapinghubConnection.fromClientConfig(
              io.scrapinghubio.client.core.ClientConfig.builder().apiKey(key).storageEndpoint(emu.storageUrl())
                  .dashEndpoint(emu.dashUrl()).build());
      io.scrapinghubio.cli.run.StagedOutput output =
          io.scrapinghubio.cli.run.StagedOutput.prepare(dir.resolve("export").toString(), false, () -> options);
      ExportSummary summary = new ExportPipeline<>(io.scrapinghubio.beam.ScrapinghubIO.read().withConnection(connection)
          .withProject(io.scrapinghubio.emulator.demo.DemoData.DEFAULT_PROJECT), io.scrapinghubio.cli.format.JsonLines.of(), 0)
          .run(options, output, counts, new io.scrapinghubio.cli.progress.ProgressDisplay.Silent(),
              new java.io.PrintWriter(java.io.Writer.nullWriter()));
      assertEquals(JOBS * ITEMS_PER_JOB, summary.items());
      assertEquals(JOBS * ITEMS_PER_JOB, counts.items());
      assertEquals(counts.items(), counts.plannedItems(), "of N: the read's own total");
      assertEquals(JOBS, counts.plannedJobs());
    }
  }
}
