package io.scrapinghubio.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The export benchmark: what a user runs (the README's main job, the CLI's {@code export}) against the
 * simplest thing they could do instead ({@link ExportBaselineLoop}), end to end, each as a whole
 * process started the way a user starts it (JVM start-up, listing and sizing included), moving the
 * same demo items from an emulator in its own JVM ({@code --no-gzip}) to JSON-lines files on local
 * disk. Every run's output is checked against the baseline's as a multiset of lines.
 *
 * <p>Runs: the baseline loop; the main job with its default settings; the main job on embedded
 * Flink at parallelism 1, 2 and 4; then, against an emulator adding {@code --latency-ms} to every
 * request, the baseline loop and the main job at parallelism 8. Writes
 * {@code benchmarks/results/export.md} and {@code export.png}.
 *
 * <pre>
 * mvn -B -q install -DskipTests &amp;&amp; mvn -B -q -f benchmarks/pom.xml exec:java \
 *     -Dexec.mainClass=io.scrapinghubio.benchmarks.ExportBenchmark \
 *     [-Dexec.args="--jobs 100 --items-per-job 10000 --latency-ms 100 --latency-jobs 20 --repeat 1"]
 * </pre>
 */
public final class ExportBenchmark {
  static final String KEY = "benchmarkbenchmarkbenchmarkbench";
  static final long PROJECT = 2222222;
  /** The heap the README's main job runs with ({@code java -Xmx1g -jar scrapinghub-io.jar export}). */
  static final String MAIN_JOB_HEAP = "-Xmx1g";

  /** One contestant's figures. */
  record Run(String scenario, String name, String description, long items, double seconds, long peakRss,
      double baselineItemsPerSecond) {
    double itemsPerSecond() {
      return items / seconds;
    }

    double ratio() {
      return itemsPerSecond() / baselineItemsPerSecond;
    }
  }

  static final class Options {
    int jobs = 100;
    long itemsPerJob = 10_000;
    int latencyMs = 100;
    int latencyJobs = 100;
    long latencyItemsPerJob = 10_000;
    int latencyParallelism = 8;
    int repeat = 1;
    List<Integer> flinkParallelism = List.of(1, 2, 4);
    /** Relative to the benchmarks module, whether Maven runs from the root ({@code -f benchmarks/pom.xml}) or from it. */
    Path module = Files.isDirectory(Path.of("benchmarks", "results")) ? Path.of("benchmarks") : Path.of(".");
    Path work = module.resolve("target").resolve("export-bench");
    Path results = module.resolve("results");

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i += 2) {
        String v = args[i + 1];
        switch (args[i]) {
          case "--jobs" -> o.jobs = Integer.parseInt(v);
          case "--items-per-job" -> o.itemsPerJob = Long.parseLong(v);
          case "--latency-ms" -> o.latencyMs = Integer.parseInt(v);
          case "--latency-jobs" -> o.latencyJobs = Integer.parseInt(v);
          case "--latency-items-per-job" -> o.latencyItemsPerJob = Long.parseLong(v);
          case "--latency-parallelism" -> o.latencyParallelism = Integer.parseInt(v);
          case "--repeat" -> o.repeat = Integer.parseInt(v);
          case "--flink-parallelism" -> o.flinkParallelism = Stream.of(v.split(",")).map(Integer::parseInt).toList();
          case "--work" -> o.work = Path.of(v);
          case "--results" -> o.results = Path.of(v);
          default -> throw new IllegalArgumentException("unknown option " + args[i]
              + "; expected --jobs, --items-per-job, --latency-ms, --latency-jobs, --latency-items-per-job, "
              + "--latency-parallelism, --repeat, --flink-parallelism, --work, --results");
        }
      }
      return o;
    }
  }

  private ExportBenchmark() {}

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    String cp = BenchSupport.classPath();
    long t0 = System.nanoTime();
    List<Run> runs = new ArrayList<>();
    try (EmulatorProcess emu = EmulatorProcess.start(cp, KEY, o.jobs, o.itemsPerJob, 0, false)) {
      runs.addAll(scenario(o, cp, emu, "throughput", mainJobVariants(o)));
    }
    if (o.latencyMs > 0) {
      try (EmulatorProcess emu = EmulatorProcess.start(cp, KEY, o.latencyJobs, o.latencyItemsPerJob, o.latencyMs, false)) {
        runs.addAll(scenario(o, cp, emu, "latency " + o.latencyMs + " ms",
            List.of(new Variant("main job, parallelism " + o.latencyParallelism,
                "README main job, default runner, `--parallelism=" + o.latencyParallelism + "`",
                List.of("--parallelism=" + o.latencyParallelism)))));
      }
    }
    ExportBenchmarkReport.write(o, runs, (System.nanoTime() - t0) / 60e9);
  }

  /** A way of running the main job: its extra arguments. */
  record Variant(String name, String description, List<String> args) {}

  private static List<Variant> mainJobVariants(Options o) {
    List<Variant> v = new ArrayList<>();
    v.add(new Variant("main job (default)", "README main job as it starts: default runner and settings", List.of()));
    for (int p : o.flinkParallelism) {
      v.add(new Variant("main job, Flink p=" + p, "embedded Flink, `--runner=flink --parallelism=" + p + "`",
          List.of("--runner=flink", "--parallelism=" + p)));
    }
    return v;
  }

  private static List<Run> scenario(Options o, String cp, EmulatorProcess emu, String scenario, List<Variant> variants)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Map<String, String> env = Map.of("SH_APIKEY", KEY);
    List<Run> runs = new ArrayList<>();
    for (int rep = 0; rep < o.repeat; rep++) {
      Path out = o.work.resolve("baseline.jl");
      clean(o.work);
      ChildRun.Result base = ChildRun.run(List.of(java, MAIN_JOB_HEAP, "-cp", cp,
          ExportBaselineLoop.class.getName(), emu.storage, emu.dash, Long.toString(PROJECT), out.toString()), env, "baseline");
      check(base, "baseline loop");
      ExportedLines expected = ExportedLines.of(out);
      double baseRate = expected.lines() / base.seconds();
      runs.add(new Run(scenario, "baseline loop", "client `iter()` in one thread, one buffered file", expected.lines(),
          base.seconds(), base.peakRssBytes(), baseRate));
      System.out.printf("%s baseline: %d items in %.1f s (%.0f items/s), peak RSS %d MB%n", scenario,
          expected.lines(), base.seconds(), baseRate, base.peakRssBytes() >> 20);
      for (Variant v : variants) {
        clean(o.work);
        Path dir = o.work.resolve("export");
        List<String> cmd = new ArrayList<>(List.of(java, MAIN_JOB_HEAP, "-jar", mainJobJar(o).toString(), "export",
            "--endpoint=" + emu.storage, "--dash-endpoint=" + emu.dash, "--project=" + PROJECT, "--output=" + dir));
        cmd.addAll(v.args());
        ChildRun.Result r = ChildRun.run(cmd, env, v.name());
        check(r, v.name());
        ExportedLines got = ExportedLines.of(dir);
        if (!got.sameItems(expected)) {
          throw new IllegalStateException(v.name() + " exported " + got + " but the baseline exported " + expected);
        }
        Run run = new Run(scenario, v.name(), v.description(), got.lines(), r.seconds(), r.peakRssBytes(), baseRate);
        runs.add(run);
        System.out.printf("%s %s: %d items in %.1f s (%.0f items/s, %.2fx baseline), peak RSS %d MB%n", scenario,
            v.name(), got.lines(), r.seconds(), run.itemsPerSecond(), run.ratio(), r.peakRssBytes() >> 20);
      }
    }
    clean(o.work);
    return runs;
  }

  /**
   * The executable jar the README's main job runs, built by {@code mvn install}: the contestant is
   * exactly what a user starts, with the jar's own class path.
   */
  static Path mainJobJar(Options o) {
    Path jar = o.module.resolve("..").resolve("src").resolve("scrapinghub-cli").resolve("target")
        .resolve("scrapinghub-io.jar").normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " does not exist: run `mvn -B -q install -DskipTests` at the root first");
    }
    return jar;
  }

  private static void check(ChildRun.Result r, String what) {
    if (r.exitCode() != 0) {
      throw new IllegalStateException(what + " exited with " + r.exitCode() + ": "
          + String.join("\n", r.output().subList(Math.max(0, r.output().size() - 20), r.output().size())));
    }
  }

  private static void clean(Path dir) throws Exception {
    if (Files.exists(dir)) {
      try (Stream<Path> s = Files.walk(dir)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(dir);
  }
}
