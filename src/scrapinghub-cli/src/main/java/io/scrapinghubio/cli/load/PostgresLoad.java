package io.scrapinghubio.cli.load;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.beam.ScrapinghubRead;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import io.scrapinghubio.cli.console.Counted;
import io.scrapinghubio.cli.console.RunFailure;
import io.scrapinghubio.cli.progress.LiveCounts;
import io.scrapinghubio.cli.progress.ProgressDisplay;
import io.scrapinghubio.cli.progress.WrittenCounts;
import io.scrapinghubio.cli.run.PipelineCounters;
import io.scrapinghubio.client.JobQuery;
import io.scrapinghubio.client.JobSummary;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.core.ClientConfig;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Incremental ETL of a project's items into PostgreSQL, shared by the {@code load} command and the
 * {@code ItemsToPostgres} example: the finished jobs that lack the consumed tag are read as rows,
 * upserted into a table by their record key with Beam's {@code JdbcIO}, and, once the write has
 * committed, tagged, so the next run loads only the jobs that finished since.
 *
 * <p>The rows' schema is inferred from a sample of exactly the jobs to load. The table is created
 * from it when missing ({@link PostgresTable}); columns that a later sample of items has and the
 * table lacks are added. Records that do not fit the schema go to {@code <table>_failures}
 * ({@link FailuresTable}) while the rest load. Loading the same jobs again (another consumed tag, or
 * the tag removed) updates the same rows: the table ends up the same.
 */
public final class PostgresLoad {
  public static final String DEFAULT_TABLE = "items";
  public static final String DEFAULT_CONSUMED_TAG = "consumed";
  public static final int DEFAULT_BATCH_SIZE = 1000;

  /**
   * Flink's batch mode for a load, unless the user chose otherwise. The read's two outputs (rows
   * and failures) meet again where the tagging waits for both writes, and for such a diamond Flink's
   * batch optimizer makes the read's output a blocking exchange, so no row was written before the
   * last item was read (the benchmark's timeline: read 13 s, then write 50 s). The diamond joins
   * through side inputs, which are read whole before the tagging step's own input, so a pipelined
   * exchange cannot deadlock here; with it reading and writing overlap (82 s to 62 s in one
   * side-by-side pair of runs at parallelism 2, 200,000 items).
   */
  public static final String FLINK_BATCH_MODE = "--executionModeForBatch=PIPELINED_FORCED";

  private final ClientConfig config;
  private final long project;
  private final PostgresTarget target;
  private final String table;
  private final String consumedTag;
  private final int batchSize;
  /** The rows' schema, or null to infer it from a sample of the jobs. */
  private Schema schema;

  /**
   * @throws IllegalArgumentException for a bad table name, an empty tag or a batch size below 1
   *     (see {@link #checkSettings})
   */
  public PostgresLoad(ClientConfig config, long project, PostgresTarget target, String table, String consumedTag,
      int batchSize) {
    checkSettings(table, consumedTag, batchSize);
    this.config = config;
    this.project = project;
    this.target = target;
    this.table = table;
    this.consumedTag = consumedTag;
    this.batchSize = batchSize;
  }

  /** Refuses settings a load cannot run with, before anything is read; messages name the flags. */
  public static void checkSettings(String table, String consumedTag, int batchSize) {
    PostgresTable.checkName(table);
    if (consumedTag == null || consumedTag.isBlank() || consumedTag.contains(",")) {
      throw new IllegalArgumentException("--consumed-tag='" + consumedTag + "' is not a tag: expected one non-empty "
          + "tag without commas, such as consumed");
    }
    if (batchSize <= 0) {
      throw new IllegalArgumentException("--batch-size=" + batchSize + ": expected a positive number of rows");
    }
  }

  /** Rows of this schema instead of an inferred one. */
  public PostgresLoad withSchema(Schema given) {
    this.schema = given;
    return this;
  }

  /**
   * Loads the project's unconsumed finished jobs into the table, showing progress on
   * {@code display} and the DDL it runs on {@code out}.
   *
   * @throws IllegalArgumentException before anything is read when the database cannot be reached or
   *     refuses the login, when no finished job exists in the project, or when the table is incompatible
   */
  public LoadSummary run(PipelineOptions options, LiveCounts counts, ProgressDisplay display, PrintWriter out,
      PrintWriter err) {
    long t0 = System.nanoTime(); // the summary's time: checks, listing, inference, DDL and the pipeline
    // The database first: a wrong password should not cost a job listing, or a pipeline start, to find.
    try (Connection c = target.connect()) {
      c.isValid(5);
    } catch (SQLException e) {
      throw new IllegalStateException("closing the check connection to " + target.url() + " failed", e);
    }
    Selection selection = selectJobs();
    // A job without items has nothing to load (and nothing to infer a schema from): it is consumed as it is.
    long emptyTagged = tagConsumed(selection.empty());
    List<String> jobs = selection.withItems();
    if (jobs.isEmpty()) {
      return new LoadSummary(0, 0, 0, emptyTagged, (System.nanoTime() - t0) / 1e9, table, table + "_failures",
          selection.empty().size());
    }
    counts.counting("row");
    counts.withoutBytes();
    counts.planned(jobs.size(), selection.items());
    ScrapinghubConnection connection = ScrapinghubConnection.fromClientConfig(config);
    ScrapinghubRead<ScrapinghubRecord> selected = ScrapinghubIO.read().withConnection(connection)
        .withJobs(jobs.toArray(new String[0]));
    // Inferred here, from a sample of exactly the jobs to load, so the table can be made to fit first.
    ScrapinghubRead<Row> read = schema == null ? selected.asRows() : selected.asRows(schema);
    PostgresTable rowsTable = new PostgresTable(table, schema == null ? read.inferSchema() : schema);
    FailuresTable failuresTable = new FailuresTable(rowsTable);
    prepare(rowsTable, failuresTable, out);

    Pipeline p = Pipeline.create(options);
    // Records that do not fit the schema go to the dead-letter table while the others load: the
    // read's bad records, through the same kind of error handler as any Beam IO's.
    PCollection<Void> written;
    BadRecordErrorHandler<PCollection<Void>> deadLetters = p.registerBadRecordErrorHandler(
        new DeadLetterToFailuresTable(target, failuresTable, batchSize, counts.id()));
    try (deadLetters) {
      written = p.apply("ReadItems", read.withBadRecordErrorHandler(deadLetters))
          .apply("CountRows", ParDo.of(LoadCountFn.rows(counts.id()))).setRowSchema(rowsTable.schema())
          .apply("UpsertIntoPostgres", upsert(target, rowsTable, batchSize));
    }
    PCollection<Void> deadLettered = deadLetters.getOutput();
    // The jobs are tagged only once every row and every failure has been committed: a failed write
    // leaves them untagged, and the next run loads them again (the upserts make that harmless).
    p.apply("SelectedJobs", Create.of(jobs).withCoder(StringUtf8Coder.of()))
        .apply("AfterTheWrite", Wait.on(written, deadLettered))
        // Without an error handler a job that cannot be tagged fails the load, naming the job: it
        // is loaded again by the next run, and the user must know why.
        .apply("TagConsumed", ScrapinghubIO.updateJobTags().withConnection(connection).withAdd(consumedTag));

    PipelineResult result = runToTheEnd(p, counts, display, err);
    PipelineCounters c = PipelineCounters.of(result);
    return new LoadSummary(jobs.size(), c.get(WrittenCounts.RECORDS), c.get(LoadCountFn.FAILURES),
        c.get("jobs_tagged") + emptyTagged, (System.nanoTime() - t0) / 1e9, rowsTable.name(), failuresTable.name(),
        selection.empty().size());
  }

  private void prepare(PostgresTable rowsTable, FailuresTable failuresTable, PrintWriter out) {
    try (Connection c = target.connect()) {
      for (String ddl : rowsTable.prepare(c)) {
        out.println("PostgreSQL: " + ddl);
      }
      failuresTable.prepare(c);
      out.flush();
    } catch (SQLException e) {
      throw new IllegalStateException("preparing table " + rowsTable.name() + " in " + target.url() + " failed: "
          + e.getMessage(), e);
    }
  }

  /**
   * Runs the pipeline with its progress shown; Ctrl-C or SIGTERM says what a stopped load leaves:
   * rows committed so far, and jobs untagged unless every one of their rows was.
   */
  private PipelineResult runToTheEnd(Pipeline p, LiveCounts counts, ProgressDisplay display, PrintWriter err) {
    Thread onStop = new Thread(() -> {
      display.close();
      err.println();
      err.println("Stopped: the load was interrupted after " + Counted.of(counts.items(), "row") + " sent to "
          + table + "; jobs not tagged '" + consumedTag + "' are loaded again by the next run (rows are upserted)");
      err.flush();
    }, "scrapinghub-cli-stop");
    Runtime.getRuntime().addShutdownHook(onStop);
    display.start();
    try {
      PipelineResult result = p.run();
      PipelineResult.State state = result.waitUntilFinish();
      if (state != PipelineResult.State.DONE) {
        throw new RunFailure("the load pipeline ended in state " + state + " instead of DONE");
      }
      return result;
    } finally {
      display.close();
      try {
        Runtime.getRuntime().removeShutdownHook(onStop);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run: it tells the user
      }
    }
  }

  /**
   * Beam's JDBC sink, upserting each row by its key. Its data source comes from {@code target}'s
   * provider, so the password is read on the workers and is neither in the display data nor in the
   * serialized pipeline (a {@code DataSourceConfiguration} would carry it in both places).
   */
  public static JdbcIO.WriteVoid<Row> upsert(PostgresTarget target, PostgresTable table, int batchSize) {
    return JdbcIO.<Row>write()
        .withDataSourceProviderFn(target.dataSourceProvider())
        .withStatement(table.upsertStatement())
        .withPreparedStatementSetter(new RowUpsertSetter(table.schema()))
        .withBatchSize(batchSize)
        .withResults();
  }

  /** The finished jobs lacking the tag: those that hold items (and how many), and those that hold none. */
  private record Selection(List<String> withItems, long items, List<String> empty) {}

  /**
   * The finished jobs lacking the tag, listed once here so that exactly these are read and then
   * tagged (a job finishing during the load waits for the next run). None at all in the project is
   * a mistake worth an error; none left untagged is a normal incremental run with nothing new.
   */
  private Selection selectJobs() {
    List<String> withItems = new ArrayList<>();
    List<String> empty = new ArrayList<>();
    long total = 0;
    try (ScrapinghubClient client = ScrapinghubClient.create(config)) {
      var jobs = client.getProject(project).jobs();
      for (JobSummary j : jobs.iter(JobQuery.all().state("finished").lacksTag(consumedTag))) {
        // The listing carries a finished job's item count; a job listed without one is asked for its stats.
        long items = j.items().isPresent() ? j.items().getAsLong()
            : client.getJob(j.key()).items().stats().path("totals").path("input_values").asLong(0);
        (items > 0 ? withItems : empty).add(j.key().toString());
        total += items;
      }
      if (withItems.isEmpty() && empty.isEmpty() && jobs.list(JobQuery.all().state("finished").limit(1)).isEmpty()) {
        throw new IllegalArgumentException("project " + project + " has no finished job: nothing to load; "
            + "expected the id of a project whose spiders have run (check --project)");
      }
    }
    return new Selection(withItems, total, empty);
  }

  /** Tags jobs that have nothing to load; returns how many were tagged. */
  private long tagConsumed(List<String> keys) {
    if (keys.isEmpty()) {
      return 0;
    }
    try (ScrapinghubClient client = ScrapinghubClient.create(config)) {
      for (String key : keys) {
        client.getJob(key).updateTags(List.of(consumedTag), List.of());
      }
    }
    return keys.size();
  }
}
