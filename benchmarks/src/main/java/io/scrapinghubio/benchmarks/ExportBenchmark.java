package io.scrapinghubio.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The export benchmark: what a user runs (the README's main job, the CLI's {@code export}) against
 * what they would use instead, end to end, each as a whole process started the way a user starts
 * it (JVM start-up, listing and sizing included), moving the same demo items from an emulator in its
 * own JVM to JSON-lines files on local disk, at the distance a user has from the service.
 *
 * <p>A grid: for each network setting of the emulator (latency per request, bandwidth per response
 * stream, gzip), the one-stream baseline ({@link ExportBaselineLoop} {@code one-stream}: one request
 * per job, as the official client reads a job), the old paged loop and the client's {@code iter()},
 * the main job with its defaults and the main job at the parallelisms of {@code --parallelism}.
 * Every run's output is checked against the baseline's as a multiset of lines. Writes
 * {@code benchmarks/results/export.md} and {@code export.png}.
 *
 * <pre>
 * mvn -B -q install -DskipTests &amp;&amp; mvn -B -q -f benchmarks/pom.xml exec:java \
 *     -Dexec.mainClass=io.scrapinghubio.benchmarks.ExportBenchmark \
 *     [-Dexec.args="--jobs 100 --items-per-job 10000 --networks 0,100,300,100/10,100/10/gzip --parallelism 4,8"]
 * </pre>
 */
public final class ExportBenchmark {
  static final String KEY = "benchmarkbenchmarkbenchmarkbench";
  static final long PROJECT = 2222222;
  /** The heap every contestant runs with, as the README's main job. */
  static final String MAIN_JOB_HEAP = "-Xmx1g";
  /** The README's main job's JVM flags ({@code java -Xmx1g -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar ...}). */
  static final List<String> MAIN_JOB_JVM = List.of(MAIN_JOB_HEAP, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  /** One contestant's figures. */
  record Run(String scenario, String name, String description, long items, double seconds, double cpuSeconds,
      long peakRss, double baselineItemsPerSecond) {
    double itemsPerSecond() {
      return items / seconds;
    }

    double ratio() {
      return itemsPerSecond() / baselineItemsPerSecond;
    }
  }

  /**
   * One network setting: {@code LATENCY[/MBPS[/gzip]]}, e.g. {@code 100/10/gzip}: 100 ms to the first
   * byte of every request, 10 MB/s per response stream, bodies gzipped for clients that accept it.
   */
  record Network(int latencyMs, double mbps, boolean gzip) {
    static Network parse(String s) {
      String[] p = s.split("/");
      return new Network(Integer.parseInt(p[0]), p.length > 1 ? Double.parseDouble(p[1]) : 0,
          p.length > 2 && p[2].equals("gzip"));
    }

    String label() {
      return "latency " + latencyMs + " ms" + (mbps > 0 ? String.format(", %.0f MB/s per connection", mbps) : "")
          + (gzip ? ", gzip" : ", no gzip");
    }

    List<String> emulatorOptions() {
      return mbps > 0 ? List.of("--bandwidth-mbps", Double.toString(mbps)) : List.of();
    }
  }

  static final class Options {
    int jobs = 100;
    long itemsPerJob = 10_000;
    List<Network> networks = Stream.of("0", "100", "300", "100/10", "100/10/gzip").map(Network::parse).toList();
    List<Integer> parallelism = List.of(4, 8);
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
          case "--networks" -> o.networks = Stream.of(v.split(",")).map(Network::parse).toList();
          case "--parallelism" -> o.parallelism = Stream.of(v.split(",")).map(Integer::parseInt).toList();
          case "--work" -> o.work = Path.of(v);
          case "--results" -> o.results = Path.of(v);
          default -> throw new IllegalArgumentException("unknown option " + args[i]
              + "; expected --jobs, --items-per-job, --networks, --parallelism, --work, --results");
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
    for (Network n : o.networks) {
      try (EmulatorProcess emu = EmulatorProcess.start(cp, KEY, o.jobs, o.itemsPerJob, n.latencyMs(), n.gzip(),
          n.emulatorOptions())) {
        runs.addAll(scenario(o, cp, emu, n));
      }
    }
    ExportBenchmarkReport.write(o, runs, (System.nanoTime() - t0) / 60e9);
  }

  /** A way of running the main job: its extra arguments. */
  record Variant(String name, String description, List<String> args) {}

  private static List<Variant> mainJobVariants(Options o) {
    List<Variant> v = new ArrayList<>();
    v.add(new Variant("export, defaults", "README main job as it starts: default runner and settings", List.of()));
    for (int p : o.parallelism) {
      v.add(new Variant("export, p=" + p, "README main job, `--parallelism=" + p + "`", List.of("--parallelism=" + p)));
    }
    return v;
  }

  private static List<Run> scenario(Options o, String cp, EmulatorProcess emu, Network n) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Map<String, String> env = Map.of("SH_APIKEY", KEY);
    String scenario = n.label();
    List<Run> runs = new ArrayList<>();
    Path out = o.work.resolve("baseline.jl");
    clean(o.work);
    ChildRun.Result base = loop(java, cp, emu, out, "one-stream", n, env);
    ExportedLines expected = ExportedLines.of(out);
    double baseRate = expected.lines() / base.seconds();
    runs.add(new Run(scenario, "one-stream baseline", "one streamed request per job, one thread, one file "
        + "(what the official client does)", expected.lines(), base.seconds(), base.cpuSeconds(), base.peakRssBytes(), baseRate));
    report(runs.get(runs.size() - 1));
    for (String mode : List.of("paged", "iter")) {
      clean(o.work);
      ChildRun.Result r = loop(java, cp, emu, out, mode, n, env);
      ExportedLines got = ExportedLines.of(out);
      if (!got.sameItems(expected)) {
        throw new IllegalStateException(mode + " loop exported " + got + " but the baseline exported " + expected);
      }
      runs.add(new Run(scenario, mode.equals("paged") ? "paged loop (before)" : "client iter() loop",
          mode.equals("paged") ? "pages of 1,000, 2 ahead, one thread (this client's reads before streaming)"
              : "the client's `iter()` today, one thread", got.lines(), r.seconds(), r.cpuSeconds(), r.peakRssBytes(), baseRate));
      report(runs.get(runs.size() - 1));
    }
    for (Variant v : mainJobVariants(o)) {
      clean(o.work);
      Path dir = o.work.resolve("export");
      List<String> cmd = new ArrayList<>(List.of(java));
      cmd.addAll(MAIN_JOB_JVM);
      cmd.addAll(List.of("-jar", mainJobJar(o).toString(), "export",
          "--endpoint=" + emu.storage, "--dash-endpoint=" + emu.dash, "--project=" + PROJECT, "--output=" + dir));
      cmd.addAll(v.args());
      ChildRun.Result r = ChildRun.run(cmd, env, v.name());
      check(r, v.name());
      ExportedLines got = ExportedLines.of(dir);
      if (!got.sameItems(expected)) {
        throw new IllegalStateException(v.name() + " exported " + got + " but the baseline exported " + expected);
      }
      runs.add(new Run(scenario, v.name(), v.description(), got.lines(), r.seconds(), r.cpuSeconds(), r.peakRssBytes(), baseRate));
      report(runs.get(runs.size() - 1));
    }
    clean(o.work);
    return runs;
  }

  private static ChildRun.Result loop(String java, String cp, EmulatorProcess emu, Path out, String mode, Network n,
      Map<String, String> env) throws Exception {
    ChildRun.Result r = ChildRun.run(List.of(java, MAIN_JOB_HEAP, "-cp", cp, ExportBaselineLoop.class.getName(),
        emu.storage, emu.dash, Long.toString(PROJECT), out.toString(), mode, n.gzip() ? "gzip" : "identity"), env, mode);
    check(r, mode + " loop");
    return r;
  }

  private static void report(Run r) {
    System.out.printf("%s | %s: %d items in %.1f s, %.1f CPU-s (%.0f items/s, %.2fx baseline), peak RSS %d MB%n",
        r.scenario(), r.name(), r.items(), r.seconds(), r.cpuSeconds(), r.itemsPerSecond(), r.ratio(), r.peakRss() >> 20);
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
