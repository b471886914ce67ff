package io.scrapinghubio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.scrapinghubio.cli.load.LoadSummary;
import io.scrapinghubio.cli.load.PostgresLoad;
import io.scrapinghubio.cli.load.PostgresTarget;
import io.scrapinghubio.cli.progress.LiveCounts;
import io.scrapinghubio.cli.progress.ProgressDisplay;
import io.scrapinghubio.client.core.ApiKey;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.demo.DemoData;
import io.scrapinghubio.emulator.store.JobState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar scrapinghub-io.jar load} in a process of its own, into a real PostgreSQL server:
 * the table it leaves holds the same rows, as a multiset, as the table of the ETL that the
 * {@code ItemsToPostgres} example runs ({@link PostgresLoad}, in this JVM on the Direct runner) loading
 * the same jobs; a second run loads nothing; a wrong password is one line without the password.
 *
 * <p>The server is the one {@code .ci/run} starts ({@code SCRAPINGHUB_IT_JDBC_URL}, {@code _USER},
 * {@code _PASSWORD}, from {@code .ci/postgres.sh}'s env file). Without it the tests are skipped,
 * saying how to start one, except under {@code CI=true}, where they fail.
 */
@Tag("jar")
class LoadCommandIT {
  private static final String KEY = "4c3b2a190817f6e5d4c3b2a190817f6e";
  private static final Duration BOUND = Duration.ofMinutes(4);
  private static final long PROJECT = DemoData.DEFAULT_PROJECT;

  private static String url;
  private static String user;
  private static String password;

  @BeforeAll
  static void postgres() {
    url = System.getenv("SCRAPINGHUB_IT_JDBC_URL");
    if (url == null || url.isBlank()) {
      if ("true".equals(System.getenv("CI"))) {
        fail("CI=true but SCRAPINGHUB_IT_JDBC_URL is not set: .ci/run starts PostgreSQL with .ci/postgres.sh and "
            + "exports its env file; the load tests must run in CI against it");
      }
      Assumptions.abort("no PostgreSQL: start one with `.ci/postgres.sh start && source /tmp/scrapinghubio-postgres/env`");
    }
    user = System.getenv("SCRAPINGHUB_IT_JDBC_USER");
    password = System.getenv("SCRAPINGHUB_IT_JDBC_PASSWORD");
  }

  private static CommandProcess jar(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-jar", System.getProperty("cli.jar")));
    cmd.addAll(List.of(args));
    return new CommandProcess(cmd, null, env);
  }

  /** Demo items, and one job holding a record whose price does not fit the schema sampled from its first 500. */
  private static ScrapyCloudEmulator emulator() {
    ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).demoData(DemoData.of(4, 250)).start();
    String job = emu.state().project(PROJECT).jobs().get(0).key();
    List<Map<String, Object>> filler = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      filler.add(Map.of("title", "filler " + i, "price", 1.5 + i, "attributes", Map.of("color", "red")));
    }
    emu.state().appendItems(job, filler);
    emu.state().appendItems(job, List.of(Map.of("title", "Bad price", "price", "call us")));
    return emu;
  }

  @Test
  void theCommandLoadsTheSameTableAsTheEtlExampleThenNothingMore(@TempDir Path dir) throws Exception {
    String command = "load_cli_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    String example = "load_etl_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    try (ScrapyCloudEmulator emu = emulator()) {
      String[] args = {"load", "--endpoint=" + emu.storageUrl(), "--project=" + PROJECT, "--jdbc-url=" + url,
          "--db-user=" + user, "--table=" + command, "--parallelism=2", "--progress=lines", "--progress-seconds=1"};
      Map<String, String> env = Map.of("SH_APIKEY", KEY, "PGPASSWORD", password);
      CommandProcess first = jar(env, args);
      assertEquals(0, first.waitFor(BOUND), first.output());
      String out = first.output();
      assertTrue(out.contains("Loaded 4 jobs, 1300 rows into " + command) && out.contains("1 failures (in " + command
          + "_failures), 4 jobs tagged consumed"), out);
      assertTrue(out.contains("PostgreSQL: CREATE TABLE IF NOT EXISTS " + command), out);
      assertFalse(out.matches("(?s).*\\b(INFO|WARN|ERROR)\\b.*"), "no log record: " + out);
      assertFalse(out.contains(password) || out.contains(KEY), "neither the password nor the key is printed: " + out);
      for (JobState job : emu.state().project(PROJECT).jobs()) {
        assertTrue(tags(job).contains("consumed"), job.key() + " tagged: " + tags(job));
      }

      // The example's ETL on the same jobs (another consumed tag selects them again), into its own table.
      Path passwordFile = Files.writeString(dir.resolve("pg-password"), password + "\n");
      ClientConfig config = ClientConfig.builder().apiKey(ApiKey.of(KEY)).storageEndpoint(emu.storageUrl())
          .dashEndpoint(emu.dashUrl()).build();
      StringWriter messages = new StringWriter();
      LoadSummary etl;
      try (LiveCounts counts = LiveCounts.open()) {
        etl = new PostgresLoad(config, PROJECT, PostgresTarget.withPasswordFile(url, user, passwordFile), example,
            "etl-example", 1000).run(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create(), counts,
            new ProgressDisplay.Silent(), new PrintWriter(messages, true), new PrintWriter(messages, true));
      }
      assertEquals(1300, etl.rows(), etl.toString());
      assertEquals(rows("SELECT to_jsonb(t)::text FROM " + example + " t"),
          rows("SELECT to_jsonb(t)::text FROM " + command + " t"), "the same rows, as multisets");
      assertEquals(rows("SELECT to_jsonb(t) - 'failed_at' FROM " + example + "_failures t"),
          rows("SELECT to_jsonb(t) - 'failed_at' FROM " + command + "_failures t"), "the same failures");
      assertEquals(1300, rows("SELECT _key FROM " + command).size(), "one row per item that fits");

      CommandProcess again = jar(env, args);
      assertEquals(0, again.waitFor(BOUND), again.output());
      assertTrue(again.output().contains("Nothing to load: every selected job is already tagged consumed"),
          again.output());
      assertEquals(rows("SELECT to_jsonb(t)::text FROM " + example + " t"),
          rows("SELECT to_jsonb(t)::text FROM " + command + " t"), "the second run changed nothing");
    }
  }

  /**
   * A write the database refuses (a row breaking the table's own check constraint) fails the run
   * with one line and tags no job; once the table accepts the rows, the same command loads every job.
   */
  @Test
  void aFailedWriteTagsNoJobAndTheNextRunLoadsThemAll(@TempDir Path dir) throws Exception {
    String table = "load_fail_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    execute("CREATE TABLE " + table + " (_key text PRIMARY KEY, title text CONSTRAINT no_filler_7 "
        + "CHECK (title IS DISTINCT FROM 'filler 7'))");
    try (ScrapyCloudEmulator emu = emulator()) {
      String[] args = {"load", "--endpoint=" + emu.storageUrl(), "--project=" + PROJECT, "--jdbc-url=" + url,
          "--db-user=" + user, "--table=" + table, "--runner=direct", "--progress=none"};
      Map<String, String> env = Map.of("SH_APIKEY", KEY, "PGPASSWORD", password);
      CommandProcess failed = jar(env, args);
      assertEquals(1, failed.waitFor(BOUND), failed.output());
      List<String> errors = failed.lines.stream().filter(l -> l.startsWith("error: ")).toList();
      assertEquals(1, errors.size(), failed.output());
      assertTrue(errors.get(0).contains("no_filler_7"), failed.output());
      assertFalse(failed.output().contains(password) || failed.output().contains(KEY), failed.output());
      for (JobState job : emu.state().project(PROJECT).jobs()) {
        assertFalse(tags(job).contains("consumed"), "a failed load tags nothing: " + job.key());
      }

      execute("ALTER TABLE " + table + " DROP CONSTRAINT no_filler_7");
      CommandProcess again = jar(env, args);
      assertEquals(0, again.waitFor(BOUND), again.output());
      assertTrue(again.output().contains("Loaded 4 jobs, 1300 rows into " + table), again.output());
      assertEquals(1300, rows("SELECT _key FROM " + table).size(), "every row, once");
      for (JobState job : emu.state().project(PROJECT).jobs()) {
        assertTrue(tags(job).contains("consumed"), job.key() + " tagged by the second run");
      }
    }
  }

  @Test
  void aWrongPasswordIsOneLineWithoutIt(@TempDir Path dir) throws Exception {
    String wrong = "wrong-" + UUID.randomUUID();
    Path file = Files.writeString(dir.resolve("wrong"), wrong);
    try (ScrapyCloudEmulator emu = emulator()) {
      CommandProcess run = jar(Map.of("SH_APIKEY", KEY), "load", "--endpoint=" + emu.storageUrl(), "--project=" + PROJECT,
          "--jdbc-url=" + url, "--db-user=" + user, "--password-file=" + file, "--runner=direct");
      assertEquals(1, run.waitFor(BOUND), run.output());
      List<String> errors = run.lines.stream().filter(l -> l.startsWith("error: ")).toList();
      assertEquals(1, errors.size(), run.output());
      assertTrue(errors.get(0).contains("cannot connect to PostgreSQL at " + url + " as user " + user)
          && errors.get(0).contains("refused the login") && errors.get(0).contains(file.toString()), run.output());
      assertFalse(run.output().contains(wrong) || run.output().contains(KEY), run.output());
      for (JobState job : emu.state().project(PROJECT).jobs()) {
        assertFalse(tags(job).contains("consumed"), "nothing loaded or tagged: " + job.key());
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> tags(JobState job) {
    Object t = job.metadata().get("tags");
    return t == null ? List.of() : List.copyOf((java.util.Collection<String>) t);
  }

  private static void execute(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  /** The query's single column, as a multiset: each value and how many rows have it. */
  private static Map<String, Integer> rows(String sql) throws Exception {
    Map<String, Integer> out = new TreeMap<>();
    try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.merge(rs.getString(1), 1, Integer::sum);
      }
    }
    return out;
  }
}
