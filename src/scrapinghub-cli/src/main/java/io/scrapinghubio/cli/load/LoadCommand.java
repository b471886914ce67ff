package io.scrapinghubio.cli.load;

import io.scrapinghubio.cli.cloud.ScrapyCloudTarget;
import io.scrapinghubio.cli.console.CliContext;
import io.scrapinghubio.cli.export.ExportDemo;
import io.scrapinghubio.cli.options.ConnectionOptions;
import io.scrapinghubio.cli.options.PositiveIntConverter;
import io.scrapinghubio.cli.options.ProgressOptions;
import io.scrapinghubio.cli.options.RunnerOptions;
import io.scrapinghubio.cli.options.VerboseOption;
import io.scrapinghubio.cli.progress.LiveCounts;
import io.scrapinghubio.cli.progress.ProgressDisplay;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.options.PipelineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code load}: the incremental PostgreSQL ETL ({@link PostgresLoad}) from the command line. */
@Command(name = "load", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Load the items of a project's finished jobs into a PostgreSQL table, upserted by record key, then "
        + "tag the jobs (--consumed-tag) so that the next run loads only the jobs finished since. The table is created "
        + "from the items' inferred schema when missing (nested values as jsonb); records that do not fit go to "
        + "<table>_failures. The password comes from PGPASSWORD or --password-file, never from an option's value."},
    footer = {"", "Examples:",
        "  PGPASSWORD=... scrapinghub-io load --jdbc-url=jdbc:postgresql://127.0.0.1:5432/db --db-user=etl  (demo data)",
        "  SH_APIKEY=... scrapinghub-io load --project=123 --jdbc-url=jdbc:postgresql://db:5432/analytics \\",
        "      --db-user=etl --password-file=~/.etl-password --table=items"})
public final class LoadCommand implements Callable<Integer> {
  /** libpq's variable, which psql and the other PostgreSQL tools read too. */
  static final String PASSWORD_VARIABLE = "PGPASSWORD";

  private final CliContext context;

  @Spec
  CommandSpec spec;

  @Mixin
  ConnectionOptions connection;

  @Option(names = "--jdbc-url", paramLabel = "URL", required = true,
      description = "The database, jdbc:postgresql://host:port/database[?param=value...], without credentials "
          + "(required)")
  String jdbcUrl;

  @Option(names = "--db-user", paramLabel = "NAME", required = true,
      description = "The PostgreSQL user (required)")
  String dbUser;

  @Option(names = "--password-file", paramLabel = "FILE",
      description = "File holding the PostgreSQL password (a trailing newline is ignored); read where connections are "
          + "opened, so a cluster's workers need it at the same path (default: the " + PASSWORD_VARIABLE
          + " environment variable)")
  Path passwordFile;

  /** Only to refuse it without repeating its value, as picocli's unknown-option error would. */
  @Option(names = {"--password", "--db-password", "--pgpassword"}, arity = "0..1", hidden = true)
  String passwordOnTheCommandLine;

  @Option(names = "--table", paramLabel = "NAME", defaultValue = PostgresLoad.DEFAULT_TABLE,
      description = "Table to load into, optionally schema-qualified, e.g. etl.items; created when missing "
          + "(default: ${DEFAULT-VALUE})")
  String table;

  @Option(names = "--consumed-tag", paramLabel = "TAG", defaultValue = PostgresLoad.DEFAULT_CONSUMED_TAG,
      description = "Jobs with this tag are skipped, and loaded jobs get it once their rows are committed "
          + "(default: ${DEFAULT-VALUE})")
  String consumedTag;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + PostgresLoad.DEFAULT_BATCH_SIZE,
      converter = PositiveIntConverter.AtLeastOne.class,
      description = "Rows per JDBC batch, one INSERT ... ON CONFLICT batch per round trip (default: ${DEFAULT-VALUE})")
  int batchSize;

  @Mixin
  RunnerOptions runner;

  @Mixin
  ProgressOptions progress;

  @Mixin
  ExportDemo demo;

  @Mixin
  VerboseOption verbose;

  LoadCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    if (passwordOnTheCommandLine != null) {
      throw new ParameterException(spec.commandLine(), "a password option is not accepted (its value is not shown): "
          + "a command line shows in ps and shell history; expected " + PASSWORD_VARIABLE + " or --password-file=FILE");
    }
    try {
      PostgresLoad.checkSettings(table, consumedTag, batchSize);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    PostgresTarget database = database();
    PipelineOptions options = runner.pipelineOptions(spec,
        runner.onFlink() ? List.of(PostgresLoad.FLINK_BATCH_MODE) : List.of());
    try (ScrapyCloudTarget target = ScrapyCloudTarget.open(connection, false, demo, context, spec);
        LiveCounts counts = LiveCounts.open()) {
      counts.runsOn(runner.engine());
      target.checkAccess(List.of());
      context.out().printf("Loading the finished jobs of project %d not tagged '%s' with %s into table %s of %s%n",
          target.project(), consumedTag, runner.describe(), table, database);
      context.out().flush();
      PostgresLoad load = new PostgresLoad(target.clientConfig(), target.project(), database, table, consumedTag,
          batchSize);
      ProgressDisplay display = ProgressDisplay.create(progress, context, counts, runner.remote(), "Load");
      context.out().println(load.run(options, counts, display, context.out(), context.err()));
      context.out().flush();
      return 0;
    }
  }

  /** The database and where its password is read; a bad URL, user or password source is a usage error. */
  private PostgresTarget database() {
    try {
      if (passwordFile != null) {
        return PostgresTarget.withPasswordFile(jdbcUrl, dbUser, passwordFile);
      }
      String password = context.environment().get(PASSWORD_VARIABLE);
      if (password == null || password.isEmpty()) {
        throw new IllegalArgumentException("no PostgreSQL password: expected the " + PASSWORD_VARIABLE
            + " environment variable or --password-file=FILE");
      }
      // Read again where each connection is opened, never copied into the pipeline.
      return PostgresTarget.withPasswordVariable(jdbcUrl, dbUser, PASSWORD_VARIABLE);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage()); // each names its value, never a password
    }
  }
}
