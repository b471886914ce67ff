package io.scrapinghubio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.client.RunRequest;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.core.ApiKey;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import io.scrapinghubio.emulator.demo.DemoData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code java -jar scrapinghub-io.jar} in a process of its own, as a user runs it: the shaded jar
 * finds Beam's and Flink's services, runs the export on embedded Flink, keeps the key out of
 * everything it prints (logs included), and Ctrl-C leaves no output behind.
 */
@Tag("jar")
class ExecutableJarIT {
  private static final String KEY = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";

  /** A started {@code java -jar} and everything it printed (stdout and stderr, merged). */
  private static final class JarProcess {
    private static final Duration BOUND = Duration.ofMinutes(3);
    final CommandProcess command;
    final Process process;
    final List<String> lines;

    JarProcess(Map<String, String> env, String... args) throws IOException {
      List<String> cmd = new ArrayList<>(CommandProcess.SIGINT_ENABLED);
      cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx1g", "-jar", System.getProperty("cli.jar")));
      cmd.addAll(List.of(args));
      command = new CommandProcess(cmd, null, env);
      process = command.process;
      lines = command.lines;
    }

    int waitFor() throws InterruptedException {
      return command.waitFor(BOUND);
    }

    boolean awaitLine(Predicate<String> p, long seconds) throws InterruptedException {
      return command.awaitLine(p, seconds);
    }

    String output() {
      return command.output();
    }
  }

  private static void signal(JarProcess jar, String signal) throws Exception {
    assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(jar.process.pid())).start().waitFor());
  }

  /** The hidden siblings of {@code out}: staging directories a run left. */
  private static List<String> stagingOf(Path out) throws IOException {
    try (var siblings = Files.list(out.getParent())) {
      return siblings.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("." + out.getFileName() + "."))
          .sorted().toList();
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  /**
   * {@code follow} until Ctrl-C or SIGTERM, as a user runs it: window files appear while the crawl
   * runs, and the signal writes every item read into its window before the process exits. Each item
   * the summary counts is in a file exactly once, and they are the job's first ones, in a row.
   */
  @ParameterizedTest
  @ValueSource(strings = {"INT", "TERM"})
  void followUntilStoppedWritesEveryItemReadIntoItsWindow(String signal, @TempDir Path dir) throws Exception {
    CrawlSimulation crawls = CrawlSimulation.builder().pendingTime(java.time.Duration.ofMillis(100)).itemsPerSecond(40)
        .itemsPerPage(5).spider("books", CrawlSimulation.Spider.defaults()).build();
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).projects(DemoData.DEFAULT_PROJECT)
        .crawlSimulation(crawls).start();
        ScrapinghubClient client = ScrapinghubClient.create(ClientConfig.builder().apiKey(ApiKey.of(KEY))
            .storageEndpoint(emu.storageUrl()).dashEndpoint(emu.dashUrl()).build())) {
      emu.state().project(DemoData.DEFAULT_PROJECT).addSpider("books");
      Path out = dir.resolve("live");
      JarProcess jar = new JarProcess(Map.of("SH_APIKEY", KEY), "follow", "--endpoint=" + emu.storageUrl(),
          "--dash-endpoint=" + emu.dashUrl(), "--project=" + DemoData.DEFAULT_PROJECT, "--spider=books",
          "--running-jobs", "--poll=1s", "--window=5s", "--parallelism=1", "--progress=lines", "--progress-seconds=1",
          "--output=" + out);
      emu.requestLog().awaitMatching("GET", "^/jobq/" + DemoData.DEFAULT_PROJECT + "/list$", 1,
          java.time.Duration.ofMinutes(2));
      // A crawl of 100 s: still running when the signal comes.
      String job = client.getProject(DemoData.DEFAULT_PROJECT).jobs().run(RunRequest.of("books")
          .withArg("items", "4000")).key().toString();
      assertTrue(jar.awaitLine(l -> l.matches("Progress: 1 job, ([3-9]\\d\\d|[\\d,]{4,}) items.*"), 120),
          "items were read: " + jar.output());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (windowFiles(out).isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertFalse(windowFiles(out).isEmpty(), "a window file appeared while the follow ran: " + jar.output());
      signal(jar, signal);
      int code = jar.waitFor();
      assertEquals(signal.equals("INT") ? 130 : 143, code, jar.output());
      String stopper = signal.equals("INT") ? "Ctrl-C" : "SIGTERM";
      assertTrue(jar.output().contains("Stopping (" + stopper + "): writing the "), jar.output());
      String summary = jar.lines.stream().filter(l -> l.startsWith("Followed ")).findFirst().orElse("");
      java.util.regex.Matcher m = java.util.regex.Pattern.compile(
          "Followed 1 job \\(0 finished\\), ([\\d,]+) items in .* written as ([\\d,]+) lines in \\d+ window files in "
          + java.util.regex.Pattern.quote(out.toString()) + "; stopped by " + stopper).matcher(summary);
      assertTrue(m.matches(), "summary: " + jar.output());
      long read = Long.parseLong(m.group(1).replace(",", ""));
      assertEquals(read, Long.parseLong(m.group(2).replace(",", "")), summary);
      assertTrue(read >= 300 && read < 4000, "stopped mid-crawl: " + summary);
      Map<String, Integer> seen = new java.util.TreeMap<>();
      for (Path f : windowFiles(out)) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          seen.merge(JSON.readTree(line).get("_key").asText(), 1, Integer::sum);
        }
      }
      seen.forEach((k, n) -> assertEquals(1, n, k + " written " + n + " times"));
      java.util.Set<String> expected = new java.util.TreeSet<>();
      for (long i = 0; i < read; i++) {
        expected.add(job + "/" + i);
      }
      assertEquals(expected, seen.keySet(), "the items read, each in a window file");
      try (var left = Files.list(out)) {
        assertEquals(List.of(), left.filter(f -> !f.getFileName().toString().startsWith("items-")).toList(),
            "nothing but window files");
      }
    }
  }

  private static List<Path> windowFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith("items-")).sorted().toList();
    }
  }

  /** SIGTERM is Ctrl-C: the staged files go, and an output that was there stays as it was. */
  @Test
  void sigtermDuringAnExportLeavesTheOutputAsItWas(@TempDir Path dir) throws Exception {
    Path out = Files.createDirectories(dir.resolve("export"));
    Files.writeString(out.resolve("previous.jl"), "{\"kept\":true}\n");
    JarProcess jar = new JarProcess(Map.of(), "export", "--output=" + out, "--overwrite", "--demo-jobs=20",
        "--demo-items-per-job=5000", "--progress-seconds=1", "--parallelism=1");
    assertTrue(jar.awaitLine(l -> l.matches("Progress: [1-9][\\d,]* of .*"), 120), "under way: " + jar.output());
    signal(jar, "TERM");
    assertEquals(143, jar.waitFor(), "stopped by SIGTERM, not completed: " + jar.output());
    assertTrue(jar.output().contains("Stopped: the pipeline was interrupted"), jar.output());
    assertEquals(List.of("previous.jl"), Files.list(out).map(p -> p.getFileName().toString()).toList(),
        "the previous output is untouched");
    List<String> left = assertNothingLeftButCommittedParts(out, jar);
    JarProcess again = new JarProcess(Map.of(), "export", "--output=" + out, "--overwrite", "--demo-jobs=20",
        "--demo-items-per-job=5000", "--progress-seconds=1", "--parallelism=1");
    assertEquals(0, again.waitFor(), again.output());
    assertEquals(!left.isEmpty(), again.lines.get(0).startsWith("Resuming the interrupted export"), again.output());
    try (var files = Files.list(out)) {
      assertEquals(DemoItems.demo(20, 5000), DemoItems.lines(files.toList()), "each item once, the previous file gone");
    }
    assertEquals(List.of(), stagingOf(out), again.output());
  }

  /** A stop between the output's staging and the pipeline's start leaves nothing behind either. */
  @Test
  void sigtermBeforeThePipelineStartsLeavesNoStaging(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("export");
    JarProcess jar = new JarProcess(Map.of(), "export", "--output=" + out, "--demo-jobs=20",
        "--demo-items-per-job=5000", "--parallelism=1");
    assertTrue(jar.awaitLine(l -> l.startsWith("Demo mode"), 120), jar.output());
    signal(jar, "TERM");
    assertEquals(143, jar.waitFor(), jar.output());
    assertFalse(Files.exists(out), jar.output());
    assertEquals(List.of(), stagingOf(out), "no staging directory left behind: " + jar.output());
  }

  /**
   * kill -9 leaves the staging directory; the next run of the same output by another command (here
   * with other demo data) removes it rather than resuming it, and says so.
   */
  @Test
  void theNextRunRemovesTheStagingOfAKilledOne(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("export");
    JarProcess killed = new JarProcess(Map.of(), "export", "--output=" + out, "--demo-jobs=20",
        "--demo-items-per-job=5000", "--progress-seconds=1", "--parallelism=1");
    assertTrue(killed.awaitLine(l -> l.matches("Progress: [1-9][\\d,]* of .*"), 120), killed.output());
    signal(killed, "KILL");
    killed.process.waitFor(1, TimeUnit.MINUTES);
    List<String> left = stagingOf(out);
    assertEquals(1, left.size(), "kill -9 cannot clean up: " + left);

    JarProcess next = new JarProcess(Map.of(), "export", "--output=" + out, "--demo-jobs=2", "--demo-items-per-job=50");
    assertEquals(0, next.waitFor(), next.output());
    assertTrue(next.lines.get(0).startsWith("Removed the unfinished export of another command (--demo-items-per-job=5000 "
        + "--demo-jobs=20) left in " + out.resolveSibling(left.get(0)) + ": this command starts afresh"), next.output());
    assertEquals(List.of(), stagingOf(out), next.output());
    try (var files = Files.list(out)) {
      assertEquals(DemoItems.demo(2, 50), DemoItems.lines(files.toList()));
    }
  }

  /**
   * {@code --consumed-tag}, killed with kill -9 while it exports: no job is tagged (nothing was
   * published), so the next run exports every job, and tags them all once its output is there.
   */
  @Test
  void aKilledConsumedTagExportTagsNothingAndTheNextRunExportsEveryJob(@TempDir Path dir) throws Exception {
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).demoData(DemoData.of(12, 2000))
        .latencyMs(20).start()) {
      String[] args = {"export", "--project=" + DemoData.DEFAULT_PROJECT, "--endpoint=" + emu.storageUrl(),
          "--consumed-tag=exported", "--progress-seconds=1", "--parallelism=1", "--output=" + dir.resolve("killed")};
      JarProcess killed = new JarProcess(Map.of("SH_APIKEY", KEY), args);
      assertTrue(killed.awaitLine(l -> l.matches("Progress: [1-9][\\d,]* of .*"), 120), killed.output());
      signal(killed, "KILL");
      killed.process.waitFor(1, TimeUnit.MINUTES);
      assertTrue(emu.state().project(DemoData.DEFAULT_PROJECT).jobs().stream()
          .noneMatch(j -> String.valueOf(j.get("tags")).contains("exported")), "nothing published, nothing tagged");

      args[args.length - 1] = "--output=" + dir.resolve("next");
      args[args.length - 2] = "--parallelism=2";
      JarProcess next = new JarProcess(Map.of("SH_APIKEY", KEY), args);
      assertEquals(0, next.waitFor(), next.output());
      assertTrue(next.output().contains("Tagged 12 jobs 'exported'"), next.output());
      try (var files = Files.list(dir.resolve("next"))) {
        assertEquals(DemoItems.stored(emu, DemoData.DEFAULT_PROJECT), DemoItems.lines(files.toList()));
      }
      assertTrue(emu.state().project(DemoData.DEFAULT_PROJECT).jobs().stream()
          .allMatch(j -> String.valueOf(j.get("tags")).contains("exported")), "every job exported is tagged");
    }
  }

  /**
   * The command's export under faults, as a user runs it: a quarter of every request fails (429, 500,
   * 503, a dropped connection, a body cut short), listing and sizing included; the export still
   * exits 0 with every stored item exactly once, and prints no stack trace or log line.
   */
  @Test
  void anExportUnderInjectedFaultsHasEveryItemExactlyOnce(@TempDir Path dir) throws Exception {
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).demoData(DemoData.of(12, 3000))
        .faultSeed(42).start()) {
      emu.faults().mixed(0.25); // an export of 12 jobs makes a few dozen requests: pages are streamed
      Path out = dir.resolve("export");
      JarProcess jar = new JarProcess(Map.of("SH_APIKEY", KEY), "export", "--project=" + DemoData.DEFAULT_PROJECT,
          "--endpoint=" + emu.storageUrl(), "--output=" + out);
      assertEquals(0, jar.waitFor(), jar.output());
      assertTrue(emu.faults().injectedCount() >= 5, "faults were injected: " + emu.faults().injectedCount());
      emu.faults().reset();
      try (var files = Files.list(out)) {
        assertEquals(DemoItems.stored(emu, DemoData.DEFAULT_PROJECT), DemoItems.lines(files.toList()));
      }
      assertTrue(jar.lines.stream().noneMatch(l -> l.startsWith("\tat ") || l.contains(" WARN ") || l.contains(" ERROR ")),
          jar.output());
    }
  }

  /**
   * Resume: one export killed (kill -9) at a random moment in each of five runs, each time after it
   * has committed at least one more part, then run to its end by the same command. The output holds
   * every stored item exactly once; each run after the first says on its first line that it
   * resumes, and reads only what the killed runs had not committed.
   */
  @Test
  void anExportKilledInFiveRunsResumesToEveryItemExactlyOnce(@TempDir Path dir) throws Exception {
    long seed = System.nanoTime();
    java.util.Random random = new java.util.Random(seed);
    // 1 MB/s per response stream: a run lasts long enough to be killed at several moments.
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).demoData(DemoData.of(12, 3000))
        .bandwidthMbps(1).start()) {
      Path out = dir.resolve("export");
      Path parts = out.resolveSibling(".export.unfinished").resolve("files");
      String[] command = {"export", "--project=" + DemoData.DEFAULT_PROJECT, "--endpoint=" + emu.storageUrl(),
          "--output=" + out, "--parallelism=2", "--commit-every=1s"};
      StringBuilder log = new StringBuilder("seed " + seed);
      long committed = 0;
      JarProcess last = null;
      for (int run = 1; run <= 5 && last == null; run++) {
        JarProcess jar = new JarProcess(Map.of("SH_APIKEY", KEY), command);
        if (run > 1) {
          assertTrue(jar.awaitLine(l -> true, 60), jar.output());
          assertTrue(jar.lines.get(0).startsWith("Resuming the interrupted export in " + parts.getParent() + ": the "),
              log + "\n" + jar.output());
        }
        long before = committed;
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (jar.process.isAlive() && (committed = CommandProcess.committedParts(parts)) <= before && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        long extraMs = random.nextInt(1500);
        boolean ended = jar.process.waitFor(extraMs, TimeUnit.MILLISECONDS);
        if (!ended) {
          signal(jar, "KILL");
          assertTrue(jar.process.waitFor(1, TimeUnit.MINUTES));
        }
        log.append("\nrun ").append(run).append(ended ? " ended by itself" : " killed " + extraMs + " ms after a commit")
            .append(":\n").append(jar.output());
        if (ended || Files.exists(out)) {
          // It completed before the kill (or was killed while its JVM wound down, once published):
          // the last run, then.
          assertTrue(!ended || jar.process.exitValue() == 0, log.toString());
          last = jar;
        }
        committed = CommandProcess.committedParts(parts);
      }
      if (last == null) {
        last = new JarProcess(Map.of("SH_APIKEY", KEY), command);
        assertEquals(0, last.waitFor(), log + "\n" + last.output());
        log.append("\nlast run:\n").append(last.output());
      }
      try (var files = Files.list(out)) {
        List<Path> published = files.toList();
        assertEquals(DemoItems.stored(emu, DemoData.DEFAULT_PROJECT), DemoItems.lines(published), log.toString());
        assertTrue(published.stream().allMatch(f -> f.getFileName().toString().matches("part-[0-9a-f]{8}-\\d{5}\\.jl")),
            "only part files are published: " + published);
      }
      assertEquals(List.of(), stagingOf(out), log.toString());
      Matcher kept = Pattern.compile("With the ([\\d,]+) items the interrupted run wrote, .* holds 36,000 items")
          .matcher(last.output());
      assertTrue(kept.find(), log.toString());
      assertTrue(last.output().contains("Exported 12 jobs, " + String.format(java.util.Locale.ROOT, "%,d",
          36_000 - Long.parseLong(kept.group(1).replace(",", ""))) + " items"), "the last run read only the rest: " + log);
    }
  }


  @Test
  void exportsTheDemoProjectOnEmbeddedFlink(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("export");
    JarProcess jar = new JarProcess(Map.of(), "export", "--output=" + out, "--demo-jobs=3", "--demo-items-per-job=200");
    assertEquals(0, jar.waitFor(), jar.output());
    assertTrue(jar.lines.get(0).startsWith("Demo mode"), jar.output());
    assertTrue(jar.output().contains("with embedded Flink"), jar.output());
    List<Path> files;
    try (var l = Files.list(out)) {
      files = l.toList();
    }
    assertEquals(DemoItems.demo(3, 200), DemoItems.lines(files), "exported lines must be exactly the stored items");
    assertTrue(jar.lines.stream().anyMatch(l -> l.startsWith("Exported 3 jobs, 600 items")), jar.output());
    assertTrue(jar.lines.stream().noneMatch(l -> l.contains(" WARN ") || l.contains(" ERROR ")),
        "a clean run logs no warning: " + jar.output());
  }

  /**
   * Runs {@code script} in bash in {@code dir}, with {@code $JAVA} the jar's command line (its
   * scratch files in {@code dir/tmp}, which must stay empty once it has exited); returns the exit code.
   */
  private static int shell(Path dir, String script) throws Exception {
    Files.createDirectories(dir.resolve("tmp"));
    String javaCmd = String.join(" ", CommandProcess.SIGINT_ENABLED) + " " + Path.of(System.getProperty("java.home"), "bin", "java")
        + " -Xmx1g -Djava.io.tmpdir=" + dir.resolve("tmp") + " -jar " + System.getProperty("cli.jar");
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("shell.log").toFile());
    pb.environment().remove("SH_APIKEY");
    pb.environment().remove("SHUB_APIKEY");
    pb.environment().put("JAVA", javaCmd);
    Process p = pb.start();
    assertTrue(p.waitFor(3, TimeUnit.MINUTES), "finished in time: " + Files.readString(dir.resolve("shell.log")));
    return p.exitValue();
  }

  /** Lines of {@code err} that look like a stack trace or a log record rather than a message to the user. */
  private static List<String> tracesAndLogs(List<String> err) {
    return err.stream().filter(l -> l.startsWith("\tat ") || l.startsWith("Caused by") || l.contains("Exception")
        || l.contains(" WARN ") || l.contains(" ERROR ") || l.contains(" INFO ")).toList();
  }

  /**
   * {@code --output=-}: the JSON lines on stdout, exactly the stored items, and every message on
   * stderr, as {@code shub items} users pipe them into {@code jq} or {@code gzip}; no directory
   * named "-"; the embedded Flink cluster's scratch files are gone once the process has exited.
   */
  @Test
  void exportToStandardOutputWritesTheLinesThereAndTheMessagesOnStderr(@TempDir Path dir) throws Exception {
    assertEquals(0, shell(dir, "$JAVA export --output=- --demo-jobs=12 --demo-items-per-job=300 >all.jl 2>all.err"),
        Files.readString(dir.resolve("all.err")));
    assertEquals(DemoItems.demo(12, 300), DemoItems.lines(List.of(dir.resolve("all.jl"))));
    List<String> err = Files.readAllLines(dir.resolve("all.err"));
    assertTrue(err.get(0).startsWith("Demo mode"), err.toString());
    assertTrue(err.get(err.size() - 1).startsWith("Exported 12 jobs, 3,600 items, "), err.toString());
    assertTrue(err.get(err.size() - 1).endsWith(" to standard output"), err.toString());
    assertEquals(List.of(), tracesAndLogs(err));
    assertFalse(Files.exists(dir.resolve("-")), "no directory named -");
    try (var left = Files.list(dir.resolve("tmp"))) {
      assertEquals(List.of(), left.toList(), "the embedded cluster's scratch files are removed at exit");
    }
  }

  /**
   * {@code export --output=- | head -n 3}: three whole lines, and once head has gone the export
   * stops, with the exit code of a process whose pipe closed (141, as a shell reports SIGPIPE) and
   * no stack trace.
   */
  @Test
  void exportToAPipeWhoseReaderGoesStopsQuietly(@TempDir Path dir) throws Exception {
    shell(dir, "$JAVA export --output=- --demo-jobs=12 --demo-items-per-job=2000 2>head.err | head -n 3 >head.jl; "
        + "echo ${PIPESTATUS[0]} >head.rc");
    List<String> err = Files.readAllLines(dir.resolve("head.err"));
    assertEquals("141", Files.readString(dir.resolve("head.rc")).strip(), err.toString());
    List<String> lines = Files.readAllLines(dir.resolve("head.jl"));
    assertEquals(3, lines.size());
    for (String l : lines) {
      assertTrue(JSON.readTree(l).has("url"), l);
    }
    assertEquals(List.of(), tracesAndLogs(err));
    assertTrue(err.stream().noneMatch(l -> l.startsWith("Exported")), "not reported as a complete export: " + err);
  }

  @Test
  void helpAndBadUsage() throws Exception {
    JarProcess help = new JarProcess(Map.of(), "schedule", "--help");
    assertEquals(0, help.waitFor(), help.output());
    assertTrue(help.output().contains("--consumed-tag=TAG"), help.output());
    JarProcess bad = new JarProcess(Map.of(), "export", "--project=x");
    assertEquals(2, bad.waitFor(), bad.output());
    assertEquals(1, bad.lines.size(), bad.output());
  }

  @Test
  void theKeyIsNeverPrintedNotEvenInVerboseLogs(@TempDir Path dir) throws Exception {
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).demoData(DemoData.of(2, 50)).start()) {
      String[] args = {"export", "--project=" + DemoData.DEFAULT_PROJECT, "--endpoint=" + emu.storageUrl(),
          "--runner=direct", "--verbose", "--output=" + dir.resolve("ok")};
      JarProcess ok = new JarProcess(Map.of("SH_APIKEY", KEY), args);
      assertEquals(0, ok.waitFor(), ok.output());
      assertTrue(ok.output().contains("Exported 2 jobs, 100 items"), ok.output());
      assertFalse(ok.output().contains(KEY), ok.output());

      String wrong = "00000000000000000000000000000000";
      args[args.length - 1] = "--output=" + dir.resolve("refused");
      JarProcess refused = new JarProcess(Map.of("SH_APIKEY", wrong), args);
      assertEquals(1, refused.waitFor(), refused.output());
      assertTrue(refused.output().contains("cannot use Scrapy Cloud at " + emu.storageUrl()), refused.output());
      assertFalse(refused.output().contains(wrong) || refused.output().contains(KEY), refused.output());
    }
  }

  /** The same for a small export, which runs in the main thread without a Flink cluster (SmallExport). */
  @Test
  void stoppingASmallExportLeavesNoOutput(@TempDir Path dir) throws Exception {
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).demoData(DemoData.of(2, 5000))
        .latencyMs(300).start()) {
      Path out = dir.resolve("export");
      JarProcess jar = new JarProcess(Map.of("SH_APIKEY", KEY), "export", "--project=" + DemoData.DEFAULT_PROJECT,
          "--endpoint=" + emu.storageUrl(), "--output=" + out, "--progress-seconds=1", "--verbose");
      assertTrue(jar.awaitLine(l -> l.contains("Flink's collection executor"), 120), "a small export: " + jar.output());
      Thread.sleep(1000); // reading, at 300 ms per request
      signal(jar, "INT");
      assertEquals(130, jar.waitFor(), "stopped by SIGINT, not completed: " + jar.output());
      assertTrue(jar.output().contains("Stopped: the pipeline was interrupted"), jar.output());
      assertFalse(Files.exists(out), "no output: " + jar.output());
      assertNothingLeftButCommittedParts(out, jar);
    }
  }

  @Test
  void stoppingTheProcessLeavesNoOutput(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("export");
    JarProcess jar = new JarProcess(Map.of(), "export", "--output=" + out, "--demo-jobs=20",
        "--demo-items-per-job=5000", "--progress-seconds=1", "--parallelism=1");
    assertTrue(jar.awaitLine(l -> l.matches("Progress: [1-9][\\d,]* of .*"), 120),
        "the export got under way: " + jar.output());
    // What Ctrl-C sends. (Process.destroy() would send SIGTERM, which runs the same shutdown hooks,
    // but it also closes our end of the child's output, losing its last lines.)
    assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(jar.process.pid())).start().waitFor());
    int code = jar.waitFor();
    assertEquals(130, code, "stopped by SIGINT, not completed: " + jar.output());
    assertTrue(jar.output().contains("Stopped: the pipeline was interrupted"), jar.output());
    assertFalse(Files.exists(out), "no output: " + jar.output());
    assertNothingLeftButCommittedParts(out, jar);
  }

  /**
   * After a stop: nothing beside the output, unless the run had committed parts, which it then
   * says it keeps for the same command to resume (in {@code .export.unfinished}, and nowhere else).
   */
  private static List<String> assertNothingLeftButCommittedParts(Path out, JarProcess jar) throws IOException {
    Path unfinished = out.resolveSibling("." + out.getFileName() + ".unfinished");
    boolean kept = jar.output().contains("The parts written so far are kept in " + unfinished);
    List<String> left = stagingOf(out);
    assertEquals(kept ? List.of(unfinished.getFileName().toString()) : List.of(), left, jar.output());
    if (kept) {
      assertTrue(CommandProcess.committedParts(unfinished.resolve("files")) > 0, "it keeps only what holds committed parts");
    }
    return left;
  }
}
