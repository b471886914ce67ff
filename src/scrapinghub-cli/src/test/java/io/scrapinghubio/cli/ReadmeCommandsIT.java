package io.scrapinghubio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.beam.ScrapinghubRead;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import io.scrapinghubio.cli.export.InferredRows;
import io.scrapinghubio.client.read.JobDataType;
import io.scrapinghubio.cli.ReadmeCommands.Command;
import io.scrapinghubio.cli.ReadmeCommands.Options;
import io.scrapinghubio.client.JobQuery;
import io.scrapinghubio.client.JobSummary;
import io.scrapinghubio.client.RunRequest;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.core.ApiKey;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.emulator.EmulatorReadyLine;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import io.scrapinghubio.emulator.demo.DemoData;
import io.scrapinghubio.emulator.store.JobState;
import io.scrapinghubio.emulator.store.ProjectState;
import io.scrapinghubio.emulator.store.RecordLog;
import io.scrapinghubio.emulator.store.RecordType;
import com.github.luben.zstd.ZstdInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.apache.beam.sdk.schemas.Schema;

/**
 * Every command line README.md shows for the executable jar, run as the README shows it, so that
 * the README cannot drift from the jar: the {@code scrapinghub-io ...} lines of "The command line",
 * the quick start's main job (in demo mode) and the standalone emulator's {@code java -jar} line.
 *
 * <p>Each runs by bash, as written (pipes, redirections and {@code $(...)} included), in a fresh
 * working directory where relative outputs land: {@code scrapinghub-io} is the README's alias (as a
 * function, to add options after the README's), {@code java} this JDK's, and the README's jar path
 * a link to the jar the build made. The test only adds to a command: {@code --endpoint} of an
 * emulator seeded here and the key in the environment (not for the demo); an end for what runs
 * until Ctrl-C ({@code follow}: {@code --idle-polls=1}, or {@code --for=5s} if the README gives
 * {@code --idle-polls}; {@code emulator}: {@code --stop-after}, and a free port instead of the
 * README's). A renamed command or option fails the run; each output is checked against what the
 * command selects of the seeded project (see {@link Seeded}), and no output holds a stack trace, a
 * log record or the key.
 */
@Tag("jar")
class ReadmeCommandsIT {
  private static final String KEY = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
  private static final long PROJECT = 123;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The repository's README, from the module's directory (the build's working directory), or {@code -Dreadme=PATH}. */
  private static final Path README = Path.of(System.getProperty("readme", "../../README.md")).toAbsolutePath()
      .normalize();
  /** A log record (slf4j-simple, JUL or log4j layouts) rather than a message to the user. */
  private static final Pattern LOG_LINE =
      Pattern.compile("(^|[\\s\\]])(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|SEVERE)[\\s:]");
  /** A file of Beam's file sink (schedule, export --shards): part-I-of-N. */
  private static final Pattern PART = Pattern.compile("part-(\\d{5})-of-(\\d{5})\\.jl(\\.gz|\\.zst)?");
  /** A part a resumable export committed: part-WRITER-SEQ. */
  private static final Pattern COMMITTED_PART = Pattern.compile("part-[0-9a-f]{8}-\\d{5}\\.jl(\\.gz|\\.zst)?");
  private static final Map<String, String> COMPRESSION_SUFFIX = Map.of("none", "", "gzip", ".gz", "zstd", ".zst");
  private static final Map<String, String> NOUNS = Map.of("items", "item", "logs", "log line", "requests", "request",
      "samples", "sample");
  private static final Pattern WINDOW_FILE = Pattern.compile(
      "items-(\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z)-(\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z)-pane-\\d+-(\\d{5})-of-(\\d{5})\\.jl");

  private ReadmeCommands readme;
  private Path jar;

  @TestFactory
  Stream<DynamicTest> everyReadmeCommandRunsAsShown(@TempDir Path tmp) throws IOException {
    readme = ReadmeCommands.read(README);
    jar = Path.of(System.getProperty("cli.jar")).toAbsolutePath().normalize();
    Path root = README.getParent();
    assertTrue(isTheJar(root.resolve(readme.alias.get(readme.alias.size() - 1))),
        "the README's alias runs the jar the build makes: " + readme.alias);
    assertEquals(Set.of("export", "load", "schedule", "follow", "emulator"),
        new TreeSet<>(readme.commandLine.stream().map(Command::name).toList()),
        "the README's section The command line shows each of the jar's five commands: " + readme.commandLine);
    assertTrue(readme.javaCommands.stream().anyMatch(c -> c.name().equals("export") && !c.options().has("--project")),
        "the quick start's main job (java ... -jar ... export, demo mode) is found: " + readme.javaCommands);
    List<Command> all = new ArrayList<>(readme.commandLine);
    all.addAll(readme.javaCommands);
    for (Command c : all) {
      assertTrue(isTheJar(root.resolve(c.jar())), "the README runs the jar the build makes: " + c.text());
    }
    int[] n = {0};
    // -Dreadme.only=TEXT runs only the commands whose line holds TEXT: a check of one command after editing it.
    String only = System.getProperty("readme.only");
    return all.stream().filter(c -> only == null || c.text().contains(only)).map(c -> {
      Path dir = tmp.resolve("cmd-" + (++n[0]));
      return DynamicTest.dynamicTest(c.text(), () -> {
        Files.createDirectories(dir);
        check(c, dir);
      });
    });
  }

  private boolean isTheJar(Path p) throws IOException {
    return Files.exists(p) && Files.isSameFile(jar, p);
  }

  private void check(Command c, Path dir) throws Exception {
    Options o = c.options();
    switch (c.name()) {
      case "export" -> {
        if (o.has("--flink-master")) {
          checkUnreachableCluster(c, dir);
        } else if (!o.has("--project") && !o.has("--jobs")) {
          checkDemoExport(c, dir);
        } else {
          checkExport(c, dir);
        }
      }
      case "load" -> checkLoad(c, dir);
      case "schedule" -> checkSchedule(c, dir);
      case "follow" -> checkFollow(c, dir);
      case "emulator" -> checkEmulator(c, dir);
      default -> fail("no check for the README's command '" + c.name() + "': " + c.text()
          + " (the jar's commands are export, load, schedule, follow and emulator)");
    }
  }

  // ------------------------------------------------------------------ the commands

  private void checkExport(Command c, Path dir) throws Exception {
    Options o = c.options();
    try (Seeded s = Seeded.start()) {
      if (o.has("--overwrite")) {
        Path out = relativeOutput(c, dir);
        Files.createDirectories(out);
        Files.writeString(out.resolve("stale.jl"), "{\"stale\":true}\n");
      }
      List<JobState> selected = s.select(o, Set.of(), false);
      assertFalse(selected.isEmpty(), "the seeded project has jobs this command selects: " + c.text());
      s.assertEachFilterMatters(o, false, c);
      String type = o.value("--data-type").orElse("items");
      assertTrue(NOUNS.containsKey(type), "a --data-type: " + type);
      Jar run = run(c, dir, List.of("--endpoint=" + s.emu.storageUrl()), Map.of("SH_APIKEY", KEY));
      assertEquals(0, run.waitFor(), run.output());
      assertClean(run, false);
      Path out = relativeOutput(c, dir);
      RecordType recordType = RecordType.valueOf(type.toUpperCase(Locale.ROOT));
      String format = o.value("--format").orElse("jsonl");
      if (format.equals("csv") || format.equals("parquet")) {
        // the rows read back, on the schema inferred from the same jobs (all sampled: fewer than 10)
        assertTrue(selected.size() <= ScrapinghubRead.DEFAULT_SCHEMA_SAMPLE_JOBS, "every selected job sampled");
        List<String> jobs = selected.stream().map(JobState::key).toList();
        ScrapinghubRead<ScrapinghubRecord> read = ScrapinghubIO.read().withConnection(ScrapinghubConnection.create()
            .withApiKey(KEY).withStorageEndpoint(s.emu.storageUrl()).withDashEndpoint(s.emu.dashUrl()))
            .withJobs(jobs.toArray(String[]::new));
        Schema schema = (type.equals("items") ? read : read.withDataType(JobDataType.valueOf(recordType.name())))
            .inferSchema();
        if (format.equals("csv")) {
          assertEquals(InferredRows.withEmptyTextAsNull(InferredRows.stored(s.emu, jobs, recordType, schema)),
              InferredRows.fromCsvFiles(out, schema), "the CSV rows are the selected jobs' " + type + ": "
                  + keys(selected));
        } else {
          assertEquals(InferredRows.stored(s.emu, jobs, recordType, schema), InferredRows.fromParquetFiles(out, schema),
              "the Parquet rows are the selected jobs' " + type + ": " + keys(selected));
        }
      } else {
        // --with: each record as stored, its provenance fields first, their values the emulator's own.
        Map<String, Integer> expected = o.value("--with")
            .map(with -> DemoItems.withProvenance(s.emu, s.project, selected, recordType, with))
            .orElseGet(() -> s.records(selected, recordType));
        assertEquals(expected, exported(c, out),
            "the output holds exactly the selected jobs' " + type + ", as stored: " + keys(selected));
      }
      assertSummary(run, "Exported " + count(selected.size(), "job") + ", " + count(s.total(selected, type),
          NOUNS.get(type)) + ", ");
      Optional<String> consumed = o.value("--consumed-tag");
      if (consumed.isPresent()) {
        String tag = consumed.get();
        selected.forEach(j -> assertTrue(tags(j).contains(tag), j.key() + " tagged " + tag + ": " + tags(j)));
        assertSummary(run, "Tagged " + count(selected.size(), "job") + " '" + tag + "'");
      }
    }
  }

  /**
   * {@code load} into the PostgreSQL server {@code .ci/run} starts: the README's command takes the
   * database from the variables of {@code .ci/postgres.sh}'s env file ({@code $JDBC_URL}...), which
   * CI exports; the table ends up with one row per item of the jobs selected, each job tagged.
   */
  private void checkLoad(Command c, Path dir) throws Exception {
    String url = System.getenv("SCRAPINGHUB_IT_JDBC_URL");
    if (url == null || url.isBlank()) {
      assertFalse("true".equals(System.getenv("CI")), "CI=true but SCRAPINGHUB_IT_JDBC_URL is not set: the README's "
          + "load must run against the PostgreSQL server .ci/run starts");
      org.junit.jupiter.api.Assumptions.abort("no PostgreSQL: `.ci/postgres.sh start && source "
          + "/tmp/scrapinghubio-postgres/env` runs the README's load too");
    }
    Options o = c.options();
    String table = o.value("--table").orElse("items");
    String tag = o.value("--consumed-tag").orElse("consumed");
    try (Seeded s = Seeded.start(); java.sql.Connection db = java.sql.DriverManager.getConnection(url,
        System.getenv("SCRAPINGHUB_IT_JDBC_USER"), System.getenv("SCRAPINGHUB_IT_JDBC_PASSWORD"));
        java.sql.Statement st = db.createStatement()) {
      // The test server's table of this name is this check's: an earlier run's rows must not count.
      st.execute("DROP TABLE IF EXISTS " + table + ", " + table + "_failures");
      List<JobState> selected = s.select(o, Set.of(), false);
      Jar run = run(c, dir, List.of("--endpoint=" + s.emu.storageUrl()), Map.of("SH_APIKEY", KEY));
      assertEquals(0, run.waitFor(), run.output());
      assertClean(run, false);
      long rows = s.total(selected, "items");
      assertSummary(run, "Loaded " + selected.size() + " jobs, " + rows + " rows into " + table + " ");
      selected.forEach(j -> assertTrue(tags(j).contains(tag), j.key() + " tagged " + tag + ": " + tags(j)));
      Map<String, Integer> keys = new HashMap<>();
      try (java.sql.ResultSet rs = st.executeQuery("SELECT _key FROM " + table)) {
        while (rs.next()) {
          keys.merge(rs.getString(1), 1, Integer::sum);
        }
      }
      Map<String, Integer> expected = new HashMap<>();
      for (JobState j : selected) {
        for (int i = 0; i < s.emu.state().records(j.key(), RecordType.ITEMS).view().size(); i++) {
          expected.put(j.key() + "/" + i, 1);
        }
      }
      assertEquals(expected, keys, "one row per item of the jobs selected");
    }
  }

  /** The quick start's main job: demo mode (no key, no project), the README's JVM flags. */
  private void checkDemoExport(Command c, Path dir) throws Exception {
    Options o = c.options();
    Path out = relativeOutput(c, dir);
    if (o.has("--overwrite")) {
      Files.createDirectories(out);
      Files.writeString(out.resolve("stale.jl"), "{\"stale\":true}\n");
    }
    Jar run = run(c, dir, List.of(), Map.of());
    assertEquals(0, run.waitFor(), run.output());
    assertClean(run, true);
    Matcher m = Pattern.compile("Demo mode .* with ([\\d,]+) finished demo jobs? x ([\\d,]+) items?, project \\d+")
        .matcher(run.lines.get(0));
    assertTrue(m.matches(), "the first line says demo mode and what the demo holds: " + run.output());
    int jobs = number(m.group(1));
    int items = number(m.group(2));
    assertEquals(DemoItems.demo(jobs, items), exported(c, out), "the output holds exactly the demo's items");
    assertSummary(run, "Exported " + count(jobs, "job") + ", " + count((long) jobs * items, "item") + ", ");
  }

  /**
   * {@code --flink-master=jobmanager:8081}: no such cluster here, so one line names it and the run
   * fails (exit code 1) without a stack trace, writing nothing.
   */
  private void checkUnreachableCluster(Command c, Path dir) throws Exception {
    Options o = c.options();
    Path out = dir.resolve(o.value("--output").orElseThrow());
    Path parent = out.getParent();
    boolean parentExisted = Files.exists(parent);
    assertFalse(Files.exists(out), out + " must not exist before the test");
    String cluster = o.value("--flink-master").orElseThrow();
    try (Seeded s = Seeded.start()) {
      Jar run = run(c, dir, List.of("--endpoint=" + s.emu.storageUrl()), Map.of("SH_APIKEY", KEY));
      assertEquals(1, run.waitFor(), "a run that failed: " + run.output());
      assertClean(run, false);
      List<String> errors = run.lines.stream().filter(l -> l.startsWith("error: ")).toList();
      assertEquals(1, errors.size(), "one error line: " + run.output());
      assertTrue(errors.get(0).contains(cluster), "the error names the cluster " + cluster + ": " + run.output());
      assertFalse(Files.exists(out), "nothing written: " + run.output());
      assertTrue(parentExisted || !Files.exists(parent), "nothing created, not even " + parent + ": " + run.output());
      if (Files.isDirectory(parent)) {
        assertEquals(List.of(), staging(out), "no staging directory left beside " + out);
      }
    } finally {
      // Should the run have created the output's parent (/shared) after all, it is not ours to keep.
      if (!parentExisted && Files.isDirectory(parent)) {
        try (Stream<Path> left = Files.list(parent)) {
          if (left.findAny().isEmpty()) {
            Files.delete(parent);
          }
        }
      }
    }
  }

  private void checkSchedule(Command c, Path dir) throws Exception {
    Options o = c.options();
    try (Seeded s = Seeded.start()) {
      Set<String> before = new HashSet<>(keys(s.project.jobs()));
      Jar run = run(c, dir, List.of("--endpoint=" + s.emu.storageUrl()), Map.of("SH_APIKEY", KEY));
      assertEquals(0, run.waitFor(), run.output());
      assertClean(run, false);

      List<JobState> scheduled = s.project.jobs().stream().filter(j -> !before.contains(j.key())).toList();
      List<String> spiders = o.list("--spider");
      String eachName = null;
      List<String> eachValues = new ArrayList<>(Collections.singletonList(null));
      if (o.has("--each")) {
        String each = o.value("--each").orElseThrow();
        eachName = each.substring(0, each.indexOf('='));
        eachValues = List.of(each.substring(each.indexOf('=') + 1).split(","));
      }
      Map<String, String> args = new LinkedHashMap<>();
      for (String a : o.all("--arg")) {
        args.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
      }
      assertEquals(spiders.size() * eachValues.size(), scheduled.size(), "one job per spider and --each value: "
          + keys(scheduled));
      Set<String> runs = new HashSet<>();
      for (JobState j : scheduled) {
        assertEquals("finished", j.state(), j.key());
        assertEquals("finished", j.get("close_reason"), j.key());
        Map<?, ?> spiderArgs = (Map<?, ?>) j.get("spider_args");
        assertNotNull(spiderArgs, j.key() + " has spider arguments");
        args.forEach((k, v) -> assertEquals(v, spiderArgs.get(k), j.key() + " -a " + k));
        runs.add(j.get("spider") + " " + (eachName == null ? null : spiderArgs.get(eachName)));
        o.value("--units").ifPresent(u -> assertEquals(Integer.parseInt(u), ((Number) j.get("units")).intValue(),
            j.key() + " --units"));
        o.value("--consumed-tag").ifPresent(t -> assertTrue(tags(j).contains(t), j.key() + " tagged " + t + ": "
            + tags(j)));
      }
      Set<String> expectedRuns = new HashSet<>();
      for (String spider : spiders) {
        for (String v : eachValues) {
          expectedRuns.add(spider + " " + v);
        }
      }
      assertEquals(expectedRuns, runs, "each spider run once per --each value");
      assertEquals(s.records(scheduled, RecordType.ITEMS), exported(c, relativeOutput(c, dir)),
          "the output holds exactly the crawled items, as stored");
      assertSummary(run, "Scheduled " + count(scheduled.size(), "job") + ", " + count(scheduled.size(), "")
          .strip() + " finished, " + count(s.total(scheduled, "items"), "item"));
    }
  }

  private void checkFollow(Command c, Path dir) throws Exception {
    Options o = c.options();
    try (Seeded s = Seeded.start()) {
      JobState crawl = null;
      if (o.has("--running-jobs")) {
        // A crawl of 10 s that is still running when the follow lists the project's jobs.
        List<String> spiders = o.list("--spider");
        String key = s.client.getProject(PROJECT).jobs().run(RunRequest.of(spiders.isEmpty() ? "products"
            : spiders.get(0)).withArg("items", "200").withArg("items_per_second", "20")).key().toString();
        crawl = s.job(key);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!"running".equals(crawl.state()) && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertEquals("running", crawl.state(), "the crawl started");
      }
      List<JobState> expected = s.select(o, Set.of(), true);
      assertFalse(expected.isEmpty(), "the seeded project has jobs this command follows: " + c.text());
      if (crawl != null) {
        assertTrue(expected.contains(crawl), "the running crawl is followed");
      }
      s.assertEachFilterMatters(o, true, c);
      List<String> added = new ArrayList<>(List.of("--endpoint=" + s.emu.storageUrl()));
      if (!o.has("--for") && !o.has("--idle-polls")) {
        added.add("--idle-polls=1");
      } else if (!o.has("--for")) {
        added.add("--for=5s");
      }
      Jar run = run(c, dir, added, Map.of("SH_APIKEY", KEY));
      assertEquals(0, run.waitFor(), run.output());

      Path out = relativeOutput(c, dir);
      long window = seconds(o.value("--window").orElse("1m"));
      Map<String, Integer> seen = new HashMap<>();
      Map<String, JsonNode> items = new HashMap<>();
      Map<String, Long> times = new HashMap<>();
      List<Path> files = files(out);
      assertFalse(files.isEmpty(), "window files were written: " + run.output());
      for (Path f : files) {
        Matcher m = WINDOW_FILE.matcher(f.getFileName().toString());
        assertTrue(m.matches(), "only window files: " + f.getFileName());
        Instant start = Instant.parse(m.group(1));
        Instant end = Instant.parse(m.group(2));
        assertEquals(window, Duration.between(start, end).toSeconds(), "one file per --window: " + f.getFileName());
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          ObjectNode item = (ObjectNode) JSON.readTree(line);
          List<String> first = new ArrayList<>();
          item.fieldNames().forEachRemaining(first::add);
          assertEquals(List.of("_key", "_ts"), first.subList(0, 2), "_key and _ts first: " + line);
          String key = item.remove("_key").asText();
          long ts = item.remove("_ts").asLong();
          assertTrue(!Instant.ofEpochMilli(ts).isBefore(start) && Instant.ofEpochMilli(ts).isBefore(end),
              key + " at " + Instant.ofEpochMilli(ts) + " is in the window of " + f.getFileName());
          seen.merge(key, 1, Integer::sum);
          items.put(key, item);
          times.put(key, ts);
        }
      }
      seen.forEach((k, n) -> assertEquals(1, n, k + " written once"));
      Map<String, JsonNode> expectedItems = new HashMap<>();
      Map<String, Long> expectedTimes = new HashMap<>();
      for (JobState j : expected) {
        RecordLog.View v = s.emu.state().records(j.key(), RecordType.ITEMS).view();
        for (int i = 0; i < v.size(); i++) {
          expectedItems.put(j.key() + "/" + i, JSON.readTree(v.copy(i)));
          expectedTimes.put(j.key() + "/" + i, v.timestamp(i));
        }
      }
      assertEquals(new TreeSet<>(expectedItems.keySet()), new TreeSet<>(items.keySet()),
          "the window files hold every item of the followed jobs " + keys(expected));
      assertEquals(expectedItems, items, "each item as stored");
      assertEquals(expectedTimes, times, "each item's _ts as stored");
      o.value("--consumed-tag").ifPresent(t -> expected.forEach(j -> assertTrue(tags(j).contains(t),
          j.key() + " tagged " + t + " once read: " + tags(j))));
      String summary = run.lines.stream().filter(l -> l.startsWith("Followed ")).findFirst().orElse(run.output());
      assertTrue(summary.matches(Pattern.quote("Followed " + count(expected.size(), "job") + " ("
          + count(expected.size(), "").strip() + " finished), " + count(expectedItems.size(), "item") + " in ")
          + ".*" + Pattern.quote(", written as " + count(expectedItems.size(), "line") + " in "
          + count(files.size(), "window file") + " in " + out)), "summary: " + run.output());
      assertClean(run, false);
    }
  }

  /** The standalone emulator: it says it is ready, on the port given, and serves the demo jobs it says it has. */
  private void checkEmulator(Command c, Path dir) throws Exception {
    Options o = c.options();
    int port = freePort();
    List<String> added = new ArrayList<>();
    if (!o.has("--port")) {
      added.add("--port=" + port);
    }
    if (!o.has("--stop-after")) {
      added.add("--stop-after=20s");
    }
    Jar run = run(c, dir, added, Map.of(), port);
    try {
      assertTrue(run.awaitLine(l -> l.startsWith(EmulatorReadyLine.PREFIX), 180), "ready: " + run.output());
      String ready = run.lines.stream().filter(l -> l.startsWith(EmulatorReadyLine.PREFIX)).findFirst().orElseThrow();
      String url = "http://127.0.0.1:" + port + "/";
      assertEquals(EmulatorReadyLine.PREFIX + url + " (storage API) and " + url + "api/ (dash API)", ready);
      String readmePort = o.value("--port").orElse(null);
      if (readme.readyLine.isPresent() && readmePort != null) {
        assertEquals(readme.readyLine.get().replace("127.0.0.1:" + readmePort + "/", "127.0.0.1:" + port + "/"), ready,
            "the ready line the README shows");
      }
      Matcher m = Pattern.compile("Project (\\d+) has ([\\d,]+) finished demo jobs? x ([\\d,]+) items?;.*")
          .matcher(run.lines.get(0));
      assertTrue(m.matches(), "the first line says what the emulator holds: " + run.output());
      long project = Long.parseLong(m.group(1));
      int jobs = number(m.group(2));
      int items = number(m.group(3));
      o.value("--demo-project").ifPresent(p -> assertEquals(Long.parseLong(p), project));
      o.value("--demo-jobs").ifPresent(j -> assertEquals(Integer.parseInt(j), jobs));
      o.value("--demo-items-per-job").ifPresent(i -> assertEquals(Integer.parseInt(i), items));
      EmulatorReadyLine urls = EmulatorReadyLine.parse(ready).orElseThrow();
      try (ScrapinghubClient client = ScrapinghubClient.create(ClientConfig.builder().apiKey(ApiKey.of(KEY))
          .storageEndpoint(urls.storageUrl()).dashEndpoint(urls.dashUrl()).build())) {
        List<JobSummary> listed = client.getProject(project).jobs().list(JobQuery.all());
        assertEquals(jobs, listed.size(), "finished jobs served: " + listed);
        for (JobSummary j : listed) {
          assertEquals(items, j.items().orElse(-1), j.key() + " items");
        }
      }
      assertEquals(0, run.waitFor(), run.output());
      assertClean(run, false);
      assertTrue(run.lines.get(run.lines.size() - 1).startsWith("Stopped after "), run.output());
    } finally {
      run.destroy();
    }
  }

  // ------------------------------------------------------------------ the seeded project

  /**
   * Project 123: 16 finished jobs of 50 items, alternately of products and books (products #k is
   * 123/1/k, books #k 123/2/k), whose times are 2024-04-24T12:00Z and then every 3 days (products #1
   * April 24, #2 April 30, #3 May 6, #4 May 12, #5 May 18, #6 May 24, #7 May 30, #8 June 5; books
   * three days after each). Tagged through the API: ready on products #2 to #5, #7, #8 and books
   * #3; exported on products #5 and books #2. Scheduled jobs run, 25 items in 1 s unless told.
   */
  private static final class Seeded implements AutoCloseable {
    private static final Instant FIRST = Instant.parse("2024-04-24T12:00:00Z");

    final ScrapyCloudEmulator emu;
    final ScrapinghubClient client;
    final ProjectState project;

    private Seeded(ScrapyCloudEmulator emu, ScrapinghubClient client) {
      this.emu = emu;
      this.client = client;
      this.project = emu.state().project(PROJECT);
    }

    static Seeded start() {
      CrawlSimulation crawls = CrawlSimulation.builder().pendingTime(Duration.ofMillis(100))
          .runningTime(Duration.ofSeconds(1)).itemsPerJob(25).build();
      ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).crawlSimulation(crawls).start();
      Seeded s = new Seeded(emu, ScrapinghubClient.create(ClientConfig.builder().apiKey(ApiKey.of(KEY))
          .storageEndpoint(emu.storageUrl()).dashEndpoint(emu.dashUrl()).build()));
      List<String> keys = emu.seed(DemoData.of(16, 50).withProject(PROJECT).withSpiders(List.of("products", "books")));
      s.tag("ready", "products", 2, 3, 4, 5, 7, 8);
      s.tag("ready", "books", 3);
      s.tag("exported", "products", 5);
      s.tag("exported", "books", 2);
      for (int i = 0; i < keys.size(); i++) {
        long t = FIRST.plus(Duration.ofDays(3L * i)).toEpochMilli();
        emu.state().clock(() -> t);
        s.project.updateJob(s.job(keys.get(i)), JobState.FINISHED, Map.of());
      }
      emu.state().clock(System::currentTimeMillis);
      return s;
    }

    private void tag(String tag, String spider, int... numbers) {
      for (int n : numbers) {
        JobState j = project.jobs().stream().filter(x -> spider.equals(x.get("spider"))).skip(n - 1).findFirst()
            .orElseThrow();
        client.getProject(PROJECT).jobs().get(j.key()).updateTags(List.of(tag), List.of());
        assertTrue(tags(j).contains(tag), j.key() + " tagged through the API");
      }
    }

    JobState job(String key) {
      String[] p = key.split("/");
      assertEquals(PROJECT, Long.parseLong(p[0]), key);
      return project.job(Integer.parseInt(p[1]), Integer.parseInt(p[2])).orElseThrow(() -> new AssertionError(
          "no job " + key + " in the seeded project"));
    }

    /**
     * The jobs a command's options select, as Scrapy Cloud's job list filters them, those having
     * its {@code --consumed-tag} left out (and for {@code follow --running-jobs}, running jobs
     * too), {@code without} some of the filters.
     */
    List<JobState> select(Options o, Set<String> without, boolean follow) {
      if (o.has("--jobs")) {
        return o.list("--jobs").stream().map(this::job).toList();
      }
      Set<String> states = new HashSet<>(o.has("--state") ? o.list("--state") : List.of("finished"));
      if (follow && o.has("--running-jobs")) {
        states.add("running");
      }
      List<String> spiders = without.contains("--spider") ? List.of() : o.list("--spider");
      List<String> hasTags = without.contains("--has-tag") ? List.of() : o.list("--has-tag");
      List<String> lacksTags = new ArrayList<>(without.contains("--lacks-tag") ? List.of() : o.list("--lacks-tag"));
      if (!without.contains("--consumed-tag")) { // export and follow select the jobs lacking it
        o.value("--consumed-tag").ifPresent(lacksTags::add);
      }
      Optional<Instant> start = without.contains("--start") ? Optional.empty() : o.time("--start");
      Optional<Instant> end = without.contains("--end") ? Optional.empty() : o.time("--end");
      List<JobState> selected = new ArrayList<>();
      for (JobState j : project.jobs()) {
        List<String> tags = tags(j);
        Instant ts = Instant.ofEpochMilli(j.ts());
        if (states.contains(j.state()) && (spiders.isEmpty() || spiders.contains(String.valueOf(j.get("spider"))))
            && (hasTags.isEmpty() || hasTags.stream().anyMatch(tags::contains))
            && lacksTags.stream().noneMatch(tags::contains)
            && start.map(s -> !ts.isBefore(s)).orElse(true) && end.map(ts::isBefore).orElse(true)) {
          selected.add(j);
        }
      }
      return selected;
    }

    /** Each filter the command gives leaves out some job of the seeded project: the check covers it. */
    void assertEachFilterMatters(Options o, boolean follow, Command c) {
      int selected = select(o, Set.of(), follow).size();
      for (String f : List.of("--spider", "--has-tag", "--lacks-tag", "--start", "--end", "--consumed-tag")) {
        if (o.has(f)) {
          assertTrue(select(o, Set.of(f), follow).size() > selected, "the seeded project has a job that only "
              + f + " leaves out of " + c.text() + ": extend the seed");
        }
      }
    }

    /** The records of {@code type} of {@code jobs}, as stored: line -> count. */
    Map<String, Integer> records(List<JobState> jobs, RecordType type) {
      Map<String, Integer> items = new HashMap<>();
      for (JobState j : jobs) {
        RecordLog.View v = emu.state().records(j.key(), type).view();
        for (int i = 0; i < v.size(); i++) {
          items.merge(new String(v.copy(i), StandardCharsets.UTF_8), 1, Integer::sum);
        }
      }
      return items;
    }

    long total(List<JobState> jobs, String type) {
      return DemoItems.total(records(jobs, RecordType.valueOf(type.toUpperCase(Locale.ROOT))));
    }

    @Override
    public void close() {
      client.close();
      emu.close();
    }
  }

  // ------------------------------------------------------------------ running the jar

  /**
   * Runs the README's command line by bash in {@code dir}: the alias as a function adding
   * {@code added} after the README's options (a {@code java} line gets them at its end),
   * {@code java} this JDK's, the README's jar path a link to the jar under test, and for
   * {@code emulator} the free {@code port} instead of the README's.
   */
  private Jar run(Command c, Path dir, List<String> added, Map<String, String> env, int... port) throws IOException {
    Path link = dir.resolve(c.jar());
    Files.createDirectories(link.getParent());
    Files.createSymbolicLink(link, jar);
    String extra = String.join(" ", added.stream().map(ReadmeCommandsIT::quoted).toList());
    String text = c.text();
    if (port.length > 0) {
      text = text.replaceAll("(?<=\\s)--port=\\d+(?=\\s|$)", "--port=" + port[0]);
    }
    String script;
    if (c.viaAlias()) {
      script = "set -o pipefail\n" + ReadmeCommands.ALIAS + "() { " + readme.aliasText + " \"$@\" " + extra + "; }\n"
          + text + "\n";
    } else {
      assertEquals(List.of(), c.tail(), "a java line with nothing after the jar's arguments: " + c.text());
      script = text + " " + extra + "\n";
    }
    Map<String, String> environment = new HashMap<>(env);
    environment.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
    return new Jar(List.of("bash", "-c", script), dir, environment);
  }

  private static String quoted(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }

  /** A started command line (bash running the README's words) and everything it printed. */
  private static final class Jar {
    private static final Duration BOUND = Duration.ofMinutes(5);
    final CommandProcess command;
    final List<String> lines;

    Jar(List<String> cmd, Path dir, Map<String, String> env) throws IOException {
      command = new CommandProcess(cmd, dir, env);
      lines = command.lines;
    }

    int waitFor() throws InterruptedException {
      return command.waitFor(BOUND);
    }

    boolean awaitLine(Predicate<String> p, long seconds) throws InterruptedException {
      return command.awaitLine(p, seconds);
    }

    String output() {
      return "\n" + command.output();
    }

    void destroy() {
      command.destroy();
    }
  }

  /** No stack trace, no log record, no key; demo mode only when the command runs on the demo. */
  private static void assertClean(Jar run, boolean demo) {
    assertFalse(run.lines.isEmpty(), "the command printed something");
    for (String l : run.lines) {
      assertFalse(l.startsWith("\tat ") || l.startsWith("Caused by: "), "no stack trace: " + run.output());
      assertFalse(LOG_LINE.matcher(l).find(), "no log record: '" + l + "' in" + run.output());
      assertFalse(l.contains(KEY), "the key is never printed: " + run.output());
    }
    assertEquals(demo, run.lines.get(0).startsWith("Demo mode"), "demo mode is " + demo + ": " + run.output());
  }

  private static void assertSummary(Jar run, String start) {
    assertTrue(run.lines.stream().anyMatch(l -> l.startsWith(start)), "a summary starting '" + start + "': "
        + run.output());
  }

  // ------------------------------------------------------------------ small things

  /**
   * Where the command's output went, in {@code dir}: its {@code --output} (a {@code $(...)} in it
   * matched against what is there), or for {@code --output=-} the file the shell redirected it to.
   */
  private static Path relativeOutput(Command c, Path dir) throws IOException {
    Options o = c.options();
    String out = o.value("--output").orElseThrow(() -> new AssertionError("the README command names its --output"));
    if (out.equals("-")) {
      int redirect = c.tail().indexOf(">");
      assertTrue(redirect >= 0 && redirect + 1 < c.tail().size(), "standard output goes to a file: " + c.text());
      out = c.tail().get(redirect + 1);
    }
    assertFalse(Path.of(out).isAbsolute(), "a relative --output, written in the test's directory: " + out);
    if (!out.contains("$(")) {
      return dir.resolve(out);
    }
    Pattern p = Pattern.compile(String.join(".+", java.util.Arrays.stream(out.split("\\$\\([^)]*\\)", -1))
        .map(Pattern::quote).toList()));
    try (Stream<Path> l = Files.list(dir)) {
      List<Path> matching = l.filter(f -> p.matcher(f.getFileName().toString()).matches()).toList();
      assertEquals(1, matching.size(), "one output matching " + out + ": " + matching);
      return matching.get(0);
    }
  }

  /**
   * The lines of an export's output: a directory of part files only, committed parts or exactly
   * part-I-of-N.jl files for I below N (.gz or .zst as --compression says), or a file
   * (decompressed as its name says).
   */
  private static Map<String, Integer> exported(Command c, Path out) throws IOException {
    if (!Files.isDirectory(out)) {
      assertTrue(Files.isRegularFile(out), out + " was written");
      return DemoItems.lines(List.of(decompressed(out, out.getFileName().toString().endsWith(".gz") ? ".gz"
          : out.getFileName().toString().endsWith(".zst") ? ".zst" : "")));
    }
    String compression = c.options().value("--compression").orElse("none");
    String suffix = COMPRESSION_SUFFIX.get(compression);
    assertNotNull(suffix, "a --compression: " + compression);
    List<Path> files = files(out);
    assertFalse(files.isEmpty(), "files in " + out);
    List<Path> plain = new ArrayList<>();
    for (Path f : files) {
      Matcher m = PART.matcher(f.getFileName().toString());
      Matcher committed = COMMITTED_PART.matcher(f.getFileName().toString());
      assertTrue(m.matches() || committed.matches(), "only part files (the old output was replaced): " + f.getFileName());
      if (m.matches()) {
        assertEquals(files.size(), Integer.parseInt(m.group(2)), "part files: " + files);
      }
      String fileSuffix = m.matches() ? m.group(3) : committed.group(1);
      assertEquals(suffix, fileSuffix == null ? "" : fileSuffix, "--compression=" + compression + ": " + f.getFileName());
      plain.add(decompressed(f, suffix));
    }
    assertEquals(List.of(), staging(out), "no staging directory left beside " + out);
    return DemoItems.lines(plain);
  }

  /** {@code f} itself, or its content decompressed into a file beside it. */
  private static Path decompressed(Path f, String suffix) throws IOException {
    if (suffix.isEmpty()) {
      return f;
    }
    Path plain = Files.createTempFile(f.getParent().getParent(), "decompressed-", ".jl");
    try (InputStream raw = Files.newInputStream(f);
        InputStream in = suffix.equals(".gz") ? new GZIPInputStream(raw) : new ZstdInputStream(raw)) {
      Files.write(plain, in.readAllBytes());
    }
    return plain;
  }

  private static List<Path> files(Path dir) throws IOException {
    assertTrue(Files.isDirectory(dir), dir + " was written");
    try (Stream<Path> l = Files.list(dir)) {
      return l.sorted().toList();
    }
  }

  private static List<String> staging(Path out) throws IOException {
    try (Stream<Path> siblings = Files.list(out.getParent())) {
      return siblings.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("." + out.getFileName() + "."))
          .toList();
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> tags(JobState j) {
    Object t = j.get("tags");
    return t instanceof List ? (List<String>) t : List.of();
  }

  private static List<String> keys(List<JobState> jobs) {
    return jobs.stream().map(JobState::key).toList();
  }

  /** e.g. "1 job", "1,000 items"; an empty noun gives just the number. */
  private static String count(long n, String noun) {
    return String.format(Locale.ROOT, "%,d", n) + (noun.isEmpty() ? "" : " " + noun + (n == 1 ? "" : "s"));
  }

  private static int number(String s) {
    return Integer.parseInt(s.replace(",", ""));
  }

  private static long seconds(String duration) {
    Matcher m = Pattern.compile("(\\d+)(s|m|h|d)").matcher(duration);
    assertTrue(m.matches(), "a duration: " + duration);
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> n;
      case "m" -> n * 60;
      case "h" -> n * 3600;
      default -> n * 86400;
    };
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
