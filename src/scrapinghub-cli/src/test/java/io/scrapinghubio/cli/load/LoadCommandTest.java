package io.scrapinghubio.cli.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.cli.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code load}'s bad input, in process: one line on stderr naming the bad value and what was
 * expected, exit code 2 before anything starts (1 for a database that cannot be reached); a
 * password never shows, whether given in a file, the environment, the URL or a refused option.
 */
class LoadCommandTest {
  private static final String SECRET = "s3cret-never-printed";
  private static final String URL = "jdbc:postgresql://127.0.0.1:5432/db";
  private static final Map<String, String> WITH_PASSWORD = Map.of("PGPASSWORD", SECRET);

  private static CliRun load(Map<String, String> env, String... args) {
    List<String> all = new ArrayList<>(List.of("load"));
    all.addAll(List.of(args));
    CliRun run = CliRun.run(env, all.toArray(new String[0]));
    assertEquals(1, run.errLines().size(), "exactly one line: " + run);
    assertTrue(run.err().startsWith("error: "), run.toString());
    assertFalse(run.err().contains("\tat "), "no stack trace: " + run);
    assertFalse((run.out() + run.err()).contains(SECRET), "the password is never printed: " + run);
    return run;
  }

  private static CliRun usageError(Map<String, String> env, String... args) {
    CliRun run = load(env, args);
    assertEquals(2, run.exitCode(), run.toString());
    assertEquals("", run.out(), "nothing started: " + run);
    return run;
  }

  private static void assertMentions(CliRun run, String... parts) {
    for (String p : parts) {
      assertTrue(run.err().contains(p), "'" + p + "' in: " + run);
    }
  }

  @Test
  void theDatabaseAndItsUserAreRequired() {
    assertMentions(usageError(WITH_PASSWORD), "--jdbc-url", "--db-user", "load --help");
    assertMentions(usageError(WITH_PASSWORD, "--jdbc-url=" + URL), "--db-user");
  }

  @Test
  void aUrlThatIsNotPostgresIsNamed() {
    assertMentions(usageError(WITH_PASSWORD, "--jdbc-url=jdbc:mysql://h:3306/db", "--db-user=etl"),
        "'jdbc:mysql://h:3306/db' is not a PostgreSQL one", "jdbc:postgresql://host:port/database");
  }

  @Test
  void aUrlHoldingCredentialsIsRefusedWithoutShowingIt() {
    assertMentions(usageError(WITH_PASSWORD, "--jdbc-url=" + URL + "?password=" + SECRET, "--db-user=etl"),
        "holds credentials", "not shown");
    assertMentions(usageError(WITH_PASSWORD, "--jdbc-url=postgresql://etl:" + SECRET + "@h:5432/db", "--db-user=etl"),
        "holds credentials");
  }

  @Test
  void thePasswordComesFromPgpasswordOrAFileOnly(@TempDir Path dir) {
    assertMentions(usageError(Map.of(), "--jdbc-url=" + URL, "--db-user=etl"), "no PostgreSQL password", "PGPASSWORD",
        "--password-file=FILE");
    Path missing = dir.resolve("missing");
    assertMentions(usageError(Map.of(), "--jdbc-url=" + URL, "--db-user=etl", "--password-file=" + missing),
        missing.toString(), "does not exist or is not readable");
    for (String option : List.of("--password=" + SECRET, "--db-password=" + SECRET, "--pgpassword=" + SECRET)) {
      assertMentions(usageError(WITH_PASSWORD, "--jdbc-url=" + URL, "--db-user=etl", option),
          "a password option is not accepted", "PGPASSWORD or --password-file");
    }
    assertMentions(usageError(WITH_PASSWORD, "--jdbc-url=" + URL, "--db-user=etl", "--password", SECRET),
        "a password option is not accepted");
  }

  @Test
  void badSettingsNameTheirValue() {
    String[] db = {"--jdbc-url=" + URL, "--db-user=etl"};
    assertMentions(usageError(WITH_PASSWORD, db[0], db[1], "--table=Items-2024"), "'Items-2024'", "lower-case identifier");
    assertMentions(usageError(WITH_PASSWORD, db[0], db[1], "--consumed-tag="), "--consumed-tag=''", "non-empty tag");
    assertMentions(usageError(WITH_PASSWORD, db[0], db[1], "--consumed-tag=a,b"), "--consumed-tag='a,b'", "without commas");
    assertMentions(usageError(WITH_PASSWORD, db[0], db[1], "--batch-size=0"), "'0' is not valid", ">= 1");
    assertMentions(usageError(WITH_PASSWORD, db[0], db[1], "--runner=spark"), "'spark'", "direct, flink");
  }

  /** Nothing is read, listed or tagged: the database is tried first, and its URL named without the password. */
  @Test
  void anUnreachableDatabaseIsOneLineNamingItsUrl(@TempDir Path dir) throws Exception {
    Path password = dir.resolve("pg-password");
    Files.writeString(password, SECRET + "\n");
    String closed = "jdbc:postgresql://127.0.0.1:1/db";
    CliRun run = load(Map.of(), "--jdbc-url=" + closed, "--db-user=etl", "--password-file=" + password,
        "--runner=direct", "--demo-jobs=1", "--demo-items-per-job=1");
    assertEquals(1, run.exitCode(), run.toString());
    assertMentions(run, "cannot connect to PostgreSQL at " + closed + " as user etl", "cannot be reached");
  }
}
