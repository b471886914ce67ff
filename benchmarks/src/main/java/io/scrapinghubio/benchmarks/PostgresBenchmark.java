package io.scrapinghubio.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Rows per second into PostgreSQL: the {@code ItemsToPostgres} ETL on embedded Flink at several
 * parallelisms beside {@link PostgresBaselineLoop} (the client's {@code iter()} and a batched
 * upsert in one thread, same batch size), each as a whole process, loading the same demo items from
 * an emulator in its own JVM ({@code --no-gzip}) into the same local PostgreSQL server. The table is
 * emptied before every run and its row count checked after it. Each round runs every contestant
 * once, side by side; ratios are taken within a round. The load average is recorded before each
 * run, since the machine may be shared. Writes {@code benchmarks/results/postgres.md}, with
 * {@code postgres-findings.md} (the profile findings) appended.
 *
 * <p>PostgreSQL: the server named by {@code SCRAPINGHUB_IT_JDBC_URL}/{@code _USER}/{@code _PASSWORD}
 * if set, else a private one started with {@code .ci/postgres.sh} (stopped at the end).
 *
 * <pre>
 * mvn -B -q install -DskipTests &amp;&amp; mvn -B -q -f benchmarks/pom.xml exec:java \
 *     -Dexec.mainClass=io.scrapinghubio.benchmarks.PostgresBenchmark \
 *     [-Dexec.args="--jobs 20 --items-per-job 10000 --parallelism 1,2,4 --batch-size 1000 --rounds 2"]
 * </pre>
 */
public final class PostgresBenchmark {
  static final String KEY = "benchmarkbenchmarkbenchmarkbench";
  static final long PROJECT = 2222222;
  static final String TABLE = "bench_items";

  /**
   * One contestant's figures: {@code seconds} from process start to exit, {@code loadSeconds} as the
   * process itself reports it on its "Loaded ... in X s" line (from its first step, the job listing,
   * to the last commit: JVM start-up excluded).
   */
  record Run(int latencyMs, int round, String name, String how, long rows, double seconds, double loadSeconds, String load,
      Run baseline) {
    double rowsPerSecond() {
      return rows / seconds;
    }

    double loadRowsPerSecond() {
      return rows / loadSeconds;
    }

    double ratio() {
      return baseline == null ? 1 : rowsPerSecond() / baseline.rowsPerSecond();
    }

    double loadRatio() {
      return baseline == null ? 1 : loadRowsPerSecond() / baseline.loadRowsPerSecond();
    }
  }

  /** The seconds on the process's "Loaded ... in X s" line. */
  static double reportedSeconds(ChildRun.Result r) {
    for (String line : r.output()) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("^Loaded .* in ([0-9.]+) s").matcher(line.strip());
      if (m.find()) {
        return Double.parseDouble(m.group(1));
      }
    }
    throw new IllegalStateException("no 'Loaded ... in X s' line in the output");
  }

  static final class Options {
    int jobs = 20;
    long itemsPerJob = 10_000;
    List<Integer> parallelism = List.of(1, 2, 4);
    int batchSize = 1000;
    int rounds = 2;
    /** Milliseconds the emulator adds to every request, one scenario each (a remote service is ~100 ms away). */
    List<Integer> latencies = List.of(0, 100);
    /** Extra JDBC URL parameters for every contestant. */
    String urlParams = "reWriteBatchedInserts=true";
    /** Extra JVM flags for the ETL's process, e.g. a JFR recording. */
    List<String> etlJvmFlags = List.of();
    Path module = Files.isDirectory(Path.of("benchmarks", "results")) ? Path.of("benchmarks") : Path.of(".");
    Path results = module.resolve("results");

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i += 2) {
        String v = args[i + 1];
        switch (args[i]) {
          case "--jobs" -> o.jobs = Integer.parseInt(v);
          case "--items-per-job" -> o.itemsPerJob = Long.parseLong(v);
          case "--parallelism" -> o.parallelism = Stream.of(v.split(",")).map(Integer::parseInt).toList();
          case "--batch-size" -> o.batchSize = Integer.parseInt(v);
          case "--rounds" -> o.rounds = Integer.parseInt(v);
          case "--latencies" -> o.latencies = Stream.of(v.split(",")).map(Integer::parseInt).toList();
          case "--url-params" -> o.urlParams = v;
          case "--etl-jvm-flags" -> o.etlJvmFlags = v.isBlank() ? List.of() : List.of(v.split(" "));
          case "--results" -> o.results = Path.of(v);
          default -> throw new IllegalArgumentException("unknown option " + args[i] + "; expected --jobs, "
              + "--items-per-job, --parallelism, --batch-size, --rounds, --url-params, --etl-jvm-flags, --results");
        }
      }
      return o;
    }
  }

  private PostgresBenchmark() {}

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    long t0 = System.nanoTime();
    String cp = BenchSupport.classPath();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Map<String, String> db = database(o);
    String url = db.get("url") + (o.urlParams.isBlank() ? "" : (db.get("url").contains("?") ? "&" : "?") + o.urlParams);
    Map<String, String> env = new HashMap<>(Map.of("SH_APIKEY", KEY, "JDBC_URL", url, "JDBC_USER", db.get("user"),
        "JDBC_PASSWORD", db.get("password")));
    long expected = o.jobs * o.itemsPerJob;
    List<Run> runs = new ArrayList<>();
    try {
      for (int latency : o.latencies) {
        runs.addAll(scenario(o, cp, java, env, db, latency, expected));
      }
    } finally {
      stopOwnDatabase(db);
    }
    String report = report(o, runs, (System.nanoTime() - t0) / 1e9);
    Path findings = o.results.resolve("postgres-findings.md"); // the profile behind the figures, kept by hand
    if (Files.isRegularFile(findings)) {
      report += "\n" + Files.readString(findings, StandardCharsets.UTF_8);
    }
    Files.createDirectories(o.results);
    Files.writeString(o.results.resolve("postgres.md"), report, StandardCharsets.UTF_8);
    System.out.println(report);
  }

  /** One emulator at {@code latency} ms per request: a warm-up, then the rounds of baseline and ETLs. */
  private static List<Run> scenario(Options o, String cp, String java, Map<String, String> env, Map<String, String> db,
      int latency, long expected) throws Exception {
    List<Run> runs = new ArrayList<>();
    try (EmulatorProcess emulator = EmulatorProcess.start(cp, KEY, o.jobs, o.itemsPerJob, latency, false);
        Connection c = DriverManager.getConnection(db.get("url"), db.get("user"), db.get("password"))) {
      execute(c, "DROP TABLE IF EXISTS " + TABLE);
      // Warm-up (not counted): the ETL creates the table the baseline then reuses; the server's
      // caches and the OS's page cache hold the jar files afterwards for every contestant alike.
      etl(o, java, cp, emulator, env, 2, "warmup" + latency, expected, c);
      for (int round = 1; round <= o.rounds; round++) {
        System.out.printf("%n== latency %d ms, round %d of %d ==%n", latency, round, o.rounds);
        execute(c, "TRUNCATE " + TABLE);
        String load = loadAverage();
        ChildRun.Result base = ChildRun.run(List.of(java, "-Xmx1g", "-cp", cp, PostgresBaselineLoop.class.getName(),
            emulator.storage, emulator.dash, Long.toString(PROJECT), TABLE, Integer.toString(o.batchSize), "never-set"),
            env, "baseline");
        check(base, c, expected, "baseline");
        Run baseline = new Run(latency, round, "baseline loop", "client `iter()` + PreparedStatement batch upsert, one thread",
            expected, base.seconds(), reportedSeconds(base), load, null);
        runs.add(baseline);
        for (int p : o.parallelism) {
          execute(c, "TRUNCATE " + TABLE);
          String l = loadAverage();
          ChildRun.Result r = etl(o, java, cp, emulator, env, p, "l" + latency + "r" + round + "p" + p, expected, c);
          runs.add(new Run(latency, round, "ETL, Flink p=" + p, "`ItemsToPostgres --runner=FlinkRunner --parallelism=" + p + "`",
              expected, r.seconds(), reportedSeconds(r), l, baseline));
        }
      }
      execute(c, "DROP TABLE IF EXISTS " + TABLE);
    }
    return runs;
  }

  private static ChildRun.Result etl(Options o, String java, String cp, EmulatorProcess emulator, Map<String, String> env,
      int parallelism, String tag, long expected, Connection c) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g"));
    cmd.addAll(o.etlJvmFlags);
    cmd.addAll(List.of("-cp", cp, "io.scrapinghubio.examples.ItemsToPostgres",
        "--endpoint=" + emulator.storage, "--dashEndpoint=" + emulator.dash, "--project=" + PROJECT,
        "--runner=FlinkRunner", "--parallelism=" + parallelism, "--table=" + TABLE,
        "--batchSize=" + o.batchSize, "--consumedTag=bench-" + tag)); // a fresh tag: every job is selected again
    ChildRun.Result r = ChildRun.run(cmd, env, "etl p=" + parallelism);
    check(r, c, expected, "ETL p=" + parallelism);
    return r;
  }

  private static void check(ChildRun.Result r, Connection c, long expected, String who) throws Exception {
    if (r.exitCode() != 0) {
      throw new IllegalStateException(who + " exited with " + r.exitCode());
    }
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + TABLE)) {
      rs.next();
      if (rs.getLong(1) != expected) {
        throw new IllegalStateException(who + " left " + rs.getLong(1) + " rows in " + TABLE + ", expected " + expected);
      }
    }
  }

  private static void execute(Connection c, String sql) throws Exception {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  /** The 1, 5 and 15 minute load averages. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " / " + f[1] + " / " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  /** The server named by the test variables, or a private one started here. */
  private static Map<String, String> database(Options o) throws Exception {
    String url = System.getenv("SCRAPINGHUB_IT_JDBC_URL");
    if (url != null && !url.isBlank()) {
      return Map.of("url", url, "user", System.getenv("SCRAPINGHUB_IT_JDBC_USER"),
          "password", System.getenv("SCRAPINGHUB_IT_JDBC_PASSWORD"));
    }
    Path dir = o.module.resolve("target").resolve("postgres").toAbsolutePath();
    Path script = o.module.resolve("..").resolve(".ci").resolve("postgres.sh").toAbsolutePath().normalize();
    run(script, dir, "start");
    Map<String, String> vars = new HashMap<>();
    for (String line : Files.readAllLines(dir.resolve("env"), StandardCharsets.UTF_8)) {
      String l = line.replaceFirst("^export ", "");
      int eq = l.indexOf('=');
      if (eq > 0 && !l.contains(" ")) {
        vars.put(l.substring(0, eq), l.substring(eq + 1));
      }
    }
    return Map.of("url", vars.get("SCRAPINGHUB_IT_JDBC_URL"), "user", vars.get("SCRAPINGHUB_IT_JDBC_USER"),
        "password", vars.get("SCRAPINGHUB_IT_JDBC_PASSWORD"), "script", script.toString(), "dir", dir.toString());
  }

  private static void stopOwnDatabase(Map<String, String> db) throws Exception {
    if (db.containsKey("script")) {
      run(Path.of(db.get("script")), Path.of(db.get("dir")), "stop");
    }
  }

  private static void run(Path script, Path dir, String action) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), action).inheritIO();
    pb.environment().put("POSTGRES_DIR", dir.toString());
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(script + " " + action + " failed");
    }
  }

  private static String report(Options o, List<Run> runs, double totalSeconds) {
    StringBuilder b = new StringBuilder();
    b.append("# PostgreSQL load benchmark: the ItemsToPostgres ETL against a plain JDBC loop\n\n");
    b.append(String.format(Locale.ROOT, "Generated by `io.scrapinghubio.benchmarks.PostgresBenchmark` on %s (%d cores shared by "
        + "the emulator, PostgreSQL, the contestant and the benchmark; Java %s); the whole run took %.1f min. "
        + "Load average (1/5/15 min) at the end: %s.%n%n", Instant.now(), Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), totalSeconds / 60, loadAverage()));
    b.append("Command: `mvn -B -q install -DskipTests && mvn -B -q -f benchmarks/pom.xml exec:java "
        + "-Dexec.mainClass=io.scrapinghubio.benchmarks.PostgresBenchmark`");
    b.append(String.format(Locale.ROOT, " (here: %d jobs x %,d items, batch size %d, JDBC URL parameters `%s`, %d rounds at latencies %s ms).%n%n",
        o.jobs, o.itemsPerJob, o.batchSize, o.urlParams, o.rounds, o.latencies));
    b.append("Each contestant is a whole JVM (`-Xmx1g`); seconds are process start to exit (JVM start-up, job listing, "
        + "and for the ETL schema inference, table preparation, Flink start-up and tagging the jobs included). The table is "
        + "emptied before each run and holds exactly the items after it. *Load s* is what the process reports on its "
        + "summary line: from its first step (listing the jobs) to the last commit, JVM start-up excluded. Ratios are against the baseline of the same round. "
        + "The load average before each run shows how busy the shared machine was.\n\n");
    b.append("| latency | round | run | how | wall s | rows/s (wall) | vs baseline (wall) | load s | rows/s (load) "
        + "| vs baseline (load) | load avg before |\n|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---|\n");
    for (Run r : runs) {
      b.append(String.format(Locale.ROOT, "| %d ms | %d | %s | %s | %.1f | %,.0f | %.2f× | %.1f | %,.0f | %.2f× | %s |%n",
          r.latencyMs(), r.round(),
          r.name(), r.how(), r.seconds(), r.rowsPerSecond(), r.ratio(), r.loadSeconds(), r.loadRowsPerSecond(),
          r.loadRatio(), r.load()));
    }
    b.append("\n");
    return b.toString();
  }
}
