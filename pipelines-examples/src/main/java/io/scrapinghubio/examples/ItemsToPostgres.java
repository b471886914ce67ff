package io.scrapinghubio.examples;

import io.scrapinghubio.cli.console.CliContext;
import io.scrapinghubio.cli.load.LoadSummary;
import io.scrapinghubio.cli.load.PostgresLoad;
import io.scrapinghubio.cli.load.PostgresTarget;
import io.scrapinghubio.cli.options.ProgressOptions;
import io.scrapinghubio.cli.progress.LiveCounts;
import io.scrapinghubio.cli.progress.ProgressDisplay;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.schemas.Schema;

/**
 * Incremental ETL of a project's items into PostgreSQL: the finished jobs that lack a
 * {@code consumed} tag are read as rows, upserted into a table by their record key with Beam's
 * {@code JdbcIO}, and, once the write has committed, tagged {@code consumed}, so the next run loads
 * only the jobs that finished since. The pipeline is the command line's {@code load}
 * ({@link PostgresLoad}); this program gives it Beam options, the example environment and the
 * database from environment variables.
 *
 * <pre>
 * export JDBC_URL=jdbc:postgresql://127.0.0.1:5432/mydb JDBC_USER=me JDBC_PASSWORD_FILE=~/.pgpassword  (or JDBC_PASSWORD)
 * mvn -q install -DskipTests &amp;&amp; mvn -q -f pipelines-examples/pom.xml exec:exec \
 *     -Dexec.mainClass=io.scrapinghubio.examples.ItemsToPostgres -Dapp.args="--runner=FlinkRunner --table=items"
 *     [-Dapp.args="--endpoint=https://storage.scrapinghub.com/ --project=123 ..."]  (key from SH_APIKEY)
 * </pre>
 * Without {@code --endpoint} it starts an embedded emulator seeded with demo data.
 */
public final class ItemsToPostgres {
  /** Beam options of the ETL (the database's URL, user and password are not: see {@link PostgresTarget}). */
  public interface Options extends PipelineOptions {
    @Description("Table to load into, optionally schema-qualified (created when missing)")
    @Default.String(PostgresLoad.DEFAULT_TABLE)
    String getTable();

    void setTable(String t);

    @Description("Tag that marks a job as loaded: jobs with it are skipped, and loaded jobs get it")
    @Default.String(PostgresLoad.DEFAULT_CONSUMED_TAG)
    String getConsumedTag();

    void setConsumedTag(String t);

    @Description("Rows per JDBC batch (one INSERT ... ON CONFLICT batch per round trip)")
    @Default.Integer(PostgresLoad.DEFAULT_BATCH_SIZE)
    int getBatchSize();

    void setBatchSize(int n);

    @Description("Seconds between progress lines")
    @Default.Integer(5)
    int getProgressSeconds();

    void setProgressSeconds(int s);
  }

  static final String URL_VARIABLE = "JDBC_URL";
  static final String USER_VARIABLE = "JDBC_USER";
  static final String PASSWORD_VARIABLE = "JDBC_PASSWORD";
  static final String PASSWORD_FILE_VARIABLE = "JDBC_PASSWORD_FILE";

  public static void main(String[] args) {
    try (ExampleEnvironment env = ExampleEnvironment.fromArgs(args)) {
      Options options = ExampleArgs.options(flinkDefaults(env.beamArgs()), Options.class);
      System.out.println(run(env, targetFromEnvironment(), options, null));
    }
  }

  /**
   * On Flink, unless the user chose otherwise: {@code --fasterCopy=true} (elements handed between
   * chained steps without a coder round trip, as the command line does) and
   * {@link PostgresLoad#FLINK_BATCH_MODE}, so that reading and writing overlap.
   */
  static String[] flinkDefaults(String[] beamArgs) {
    List<String> args = new ArrayList<>(List.of(beamArgs));
    boolean flink = args.stream().anyMatch(a -> a.equalsIgnoreCase("--runner=FlinkRunner") || a.equalsIgnoreCase("--runner=flink"));
    if (flink && args.stream().noneMatch(a -> a.startsWith("--fasterCopy"))) {
      args.add("--fasterCopy=true");
    }
    String batchMode = PostgresLoad.FLINK_BATCH_MODE.substring(0, PostgresLoad.FLINK_BATCH_MODE.indexOf('='));
    if (flink && args.stream().noneMatch(a -> a.startsWith(batchMode))) {
      args.add(PostgresLoad.FLINK_BATCH_MODE);
    }
    return args.toArray(new String[0]);
  }

  /**
   * Loads the project's unconsumed finished jobs into {@code options.getTable()}, a progress line
   * every {@code --progress-seconds}.
   *
   * @param schema the rows' schema, or null to infer it from a sample of the jobs
   * @throws IllegalArgumentException before anything is read when the database cannot be reached or
   *     refuses the login, when no finished job exists in the project, or when the table is incompatible
   */
  static LoadSummary run(ExampleEnvironment env, PostgresTarget target, Options options, Schema schema) {
    PostgresLoad load = new PostgresLoad(env.clientConfig(), env.project(), target, options.getTable(),
        options.getConsumedTag(), options.getBatchSize()).withSchema(schema);
    ProgressOptions progress = new ProgressOptions();
    progress.mode = ProgressOptions.Mode.lines;
    progress.seconds = Math.max(1, options.getProgressSeconds());
    CliContext console = CliContext.system();
    try (LiveCounts counts = LiveCounts.open()) {
      counts.runsOn(options.getRunner().getSimpleName()); // what the progress says it is starting
      ProgressDisplay display = ProgressDisplay.create(progress, console, counts, false, "Load");
      return load.run(options, counts, display, console.out(), console.err());
    }
  }

  /** {@code JDBC_URL}, {@code JDBC_USER}, and {@code JDBC_PASSWORD_FILE} if set, else {@code JDBC_PASSWORD}. */
  static PostgresTarget targetFromEnvironment() {
    String url = System.getenv(URL_VARIABLE);
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException(URL_VARIABLE + " is not set: expected the database's JDBC URL, e.g. "
          + "jdbc:postgresql://127.0.0.1:5432/mydb (with " + USER_VARIABLE + ", and " + PASSWORD_VARIABLE + " or "
          + PASSWORD_FILE_VARIABLE + ")");
    }
    String user = System.getenv(USER_VARIABLE);
    if (user == null || user.isBlank()) {
      throw new IllegalArgumentException(USER_VARIABLE + " is not set: expected the PostgreSQL user");
    }
    String file = System.getenv(PASSWORD_FILE_VARIABLE);
    if (file != null && !file.isBlank()) {
      return PostgresTarget.withPasswordFile(url, user, Path.of(file));
    }
    if (System.getenv(PASSWORD_VARIABLE) == null) {
      throw new IllegalArgumentException("neither " + PASSWORD_VARIABLE + " nor " + PASSWORD_FILE_VARIABLE
          + " is set: expected the PostgreSQL password in one of them");
    }
    return PostgresTarget.withPasswordVariable(url, user, PASSWORD_VARIABLE);
  }
}
