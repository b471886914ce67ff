package io.scrapinghubio.examples;

import static io.scrapinghubio.examples.MetricTotals.counter;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.beam.metrics.ClientMetrics;
import io.scrapinghubio.beam.failure.FailedRecord;
import io.scrapinghubio.beam.read.ReadResult;
import io.scrapinghubio.beam.read.ScrapinghubRead;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import io.scrapinghubio.client.JobQuery;
import io.scrapinghubio.client.JobSummary;
import io.scrapinghubio.client.ScrapinghubClient;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * Incremental ETL of a project's items into PostgreSQL: the finished jobs that lack a
 * {@code consumed} tag are read as rows, upserted into a table by their record key with Beam's
 * {@code JdbcIO}, and, once the write has committed, tagged {@code consumed}, so the next run loads
 * only the jobs that finished since.
 *
 * <pre>
 * export JDBC_URL=jdbc:postgresql://127.0.0.1:5432/mydb JDBC_USER=me JDBC_PASSWORD_FILE=~/.pgpassword  (or JDBC_PASSWORD)
 * mvn -q install -DskipTests &amp;&amp; mvn -q -f pipelines-examples/pom.xml exec:exec \
 *     -Dexec.mainClass=io.scrapinghubio.examples.ItemsToPostgres -Dapp.args="--runner=FlinkRunner --table=items"
 *     [-Dapp.args="--endpoint=https://storage.scrapinghub.com/ --project=123 ..."]  (key from SH_APIKEY)
 * </pre>
 * Without {@code --endpoint} it starts an embedded emulator seeded with demo data.
 *
 * <p>The rows' schema is inferred from a sample of exactly the jobs to load. The table is created
 * from it when missing ({@link PostgresTable}); columns that a later sample of items has and the
 * table lacks are added. Records that do not fit the schema go to {@code <table>_failures}
 * ({@link FailuresTable}) while the rest load. Loading the same jobs again (another consumed tag, or
 * the tag removed) updates the same rows: the table ends up the same.
 */
public final class ItemsToPostgres {
  static final String NAMESPACE = "ItemsToPostgres";

  /** Beam options of the ETL (the database's URL, user and password are not: see {@link PostgresTarget}). */
  public interface Options extends PipelineOptions {
    @Description("Table to load into, optionally schema-qualified (created when missing)")
    @Default.String("items")
    String getTable();

    void setTable(String t);

    @Description("Tag that marks a job as loaded: jobs with it are skipped, and loaded jobs get it")
    @Default.String("consumed")
    String getConsumedTag();

    void setConsumedTag(String t);

    @Description("Rows per JDBC batch (one INSERT ... ON CONFLICT batch per round trip)")
    @Default.Integer(1000)
    int getBatchSize();

    void setBatchSize(int n);

    @Description("Seconds between progress lines")
    @Default.Integer(5)
    int getProgressSeconds();

    void setProgressSeconds(int s);
  }

  /** What a load did: the command's last line. */
  public record Summary(long jobs, long rows, long failures, long jobsTagged, double seconds, String table,
      String failuresTable, long emptyJobs) {
    public double rowsPerSecond() {
      return seconds <= 0 ? 0 : rows / seconds;
    }

    @Override
    public String toString() {
      if (jobs == 0 && emptyJobs == 0) {
        return "Nothing to load: every selected job is already tagged consumed";
      }
      if (jobs == 0) {
        return "Nothing to load: the " + emptyJobs + " new finished job(s) hold no items; " + jobsTagged + " tagged consumed";
      }
      return String.format(java.util.Locale.ROOT, "Loaded %d jobs, %d rows into %s in %.1f s (%.0f rows/s), %d failures%s, "
          + "%d jobs tagged consumed", jobs, rows, table, seconds, rowsPerSecond(), failures,
          failures == 0 ? "" : " (in " + failuresTable + ")", jobsTagged)
          + (emptyJobs == 0 ? "" : "; " + emptyJobs + " job(s) without items tagged too");
    }
  }

  public static void main(String[] args) {
    try (ExampleEnvironment env = ExampleEnvironment.fromArgs(args)) {
      Options options = ExampleArgs.options(flinkDefaults(env.beamArgs()), Options.class);
      System.out.println(run(env, PostgresTarget.fromEnvironment(), options, null));
    }
  }

  /**
   * On Flink, unless the user chose otherwise: {@code --fasterCopy=true} (elements handed between
   * chained steps without a coder round trip, as the command line's export does) and
   * {@code --executionModeForBatch=PIPELINED_FORCED}. Why the latter: the read's two outputs (rows
   * and failures) meet again where the tagging waits for both writes, and for such a diamond Flink's
   * batch optimizer makes the read's output a blocking exchange, so no row was written before the
   * last item was read (the benchmark's timeline: read 13 s, then write 50 s). The diamond joins
   * through side inputs, which are read whole before the tagging step's own input, so a pipelined
   * exchange cannot deadlock here; with it reading and writing overlap (82 s to 62 s in one
   * side-by-side pair of runs at parallelism 2, 200,000 items).
   */
  static String[] flinkDefaults(String[] beamArgs) {
    List<String> args = new ArrayList<>(List.of(beamArgs));
    boolean flink = args.stream().anyMatch(a -> a.equalsIgnoreCase("--runner=FlinkRunner") || a.equalsIgnoreCase("--runner=flink"));
    if (flink && args.stream().noneMatch(a -> a.startsWith("--fasterCopy"))) {
      args.add("--fasterCopy=true");
    }
    if (flink && args.stream().noneMatch(a -> a.startsWith("--executionModeForBatch"))) {
      args.add("--executionModeForBatch=PIPELINED_FORCED");
    }
    return args.toArray(new String[0]);
  }

  /**
   * Loads the project's unconsumed finished jobs into {@code options.getTable()}.
   *
   * @param schema the rows' schema, or null to infer it from a sample of the jobs
   * @throws IllegalArgumentException before anything is read when the database cannot be reached or
   *     refuses the login, when no finished job exists in the project, or when the table is incompatible
   */
  static Summary run(ExampleEnvironment env, PostgresTarget target, Options options, Schema schema) {
    long t0 = System.nanoTime(); // the summary's time: checks, listing, inference, DDL and the pipeline
    String tag = options.getConsumedTag();
    if (tag == null || tag.isBlank()) {
      throw new IllegalArgumentException("--consumed-tag is empty; expected a tag such as consumed");
    }
    if (options.getBatchSize() <= 0) {
      throw new IllegalArgumentException("--batch-size=" + options.getBatchSize() + ": expected a positive number of rows");
    }
    // The database first: a wrong password should not cost a job listing, or a pipeline start, to find.
    try (Connection c = target.connect()) {
      c.isValid(5);
    } catch (SQLException e) {
      throw new IllegalStateException("closing the check connection to " + target.url() + " failed", e);
    }
    Selection selection = selectJobs(env, tag);
    // A job without items has nothing to load (and nothing to infer a schema from): it is consumed as it is.
    long emptyTagged = tagConsumed(env, selection.empty(), tag);
    List<String> jobs = selection.withItems();
    if (jobs.isEmpty()) {
      return new Summary(0, 0, 0, emptyTagged, (System.nanoTime() - t0) / 1e9, options.getTable(),
          options.getTable() + "_failures", selection.empty().size());
    }
    ScrapinghubConnection connection = env.connection();
    ScrapinghubRead<ScrapinghubRecord> selected = ScrapinghubIO.read().withConnection(connection).withJobs(jobs.toArray(new String[0]));
    // Inferred here, from a sample of exactly the jobs to load, so the table can be made to fit first.
    ScrapinghubRead<Row> read = schema == null ? selected.asRows() : selected.asRows(schema);
    PostgresTable table = new PostgresTable(options.getTable(), schema == null ? read.inferSchema() : schema);
    FailuresTable failuresTable = new FailuresTable(table);
    try (Connection c = target.connect()) {
      for (String ddl : table.prepare(c)) {
        System.out.println("ItemsToPostgres: " + ddl);
      }
      failuresTable.prepare(c);
    } catch (SQLException e) {
      throw new IllegalStateException("preparing table " + table.name() + " in " + target.url() + " failed: " + e.getMessage(), e);
    }

    try (LoadProgress progress = LoadProgress.open()) {
      Pipeline p = Pipeline.create(options);
      ReadResult<Row> items = p.apply("ReadItems", read.withFailureOutput());
      PCollection<Void> written = items.records()
          .apply("CountRows", ParDo.of(CountFn.rows(progress.id()))).setRowSchema(table.schema())
          .apply("UpsertIntoPostgres", upsert(target, table, options.getBatchSize()));
      // Records that do not fit the schema go to the dead-letter table while the others load.
      PCollection<Void> deadLettered = items.failures()
          .apply("CountFailures", ParDo.of(CountFn.failures(progress.id())))
          .apply("UpsertIntoFailures", JdbcIO.<FailedRecord>write()
              .withDataSourceProviderFn(target.dataSourceProvider())
              .withStatement(failuresTable.upsertStatement())
              .withPreparedStatementSetter(new FailuresTable.Setter())
              .withBatchSize(options.getBatchSize())
              .withResults());
      // The jobs are tagged only once every row and every failure has been committed: a failed write
      // leaves them untagged, and the next run loads them again (the upserts make that harmless).
      p.apply("SelectedJobs", Create.of(jobs).withCoder(StringUtf8Coder.of()))
          .apply("AfterTheWrite", Wait.on(written, deadLettered))
          .apply("TagConsumed", ScrapinghubIO.updateJobTags().withConnection(connection).withAdd(tag).withFailOnError());

      progress.report(Math.max(1, options.getProgressSeconds()), jobs.size(), System.out::println);
      PipelineResult result = p.run();
      result.waitUntilFinish();
      double seconds = (System.nanoTime() - t0) / 1e9;
      MetricQueryResults m = result.metrics().queryMetrics(MetricsFilter.builder().build());
      return new Summary(jobs.size(), counter(m, NAMESPACE, "rows"), counter(m, NAMESPACE, "failures"),
          counter(m, ClientMetrics.NAMESPACE, "jobs_tagged") + emptyTagged, seconds, table.name(), failuresTable.name(),
          selection.empty().size());
    }
  }

  /**
   * Beam's JDBC sink, upserting each row by its key. Its data source comes from {@code target}'s
   * provider, so the password is read on the workers and is neither in the display data nor in the
   * serialized pipeline (a {@code DataSourceConfiguration} would carry it in both places).
   */
  static JdbcIO.WriteVoid<Row> upsert(PostgresTarget target, PostgresTable table, int batchSize) {
    return JdbcIO.<Row>write()
        .withDataSourceProviderFn(target.dataSourceProvider())
        .withStatement(table.upsertStatement())
        .withPreparedStatementSetter(new RowUpsertSetter(table.schema()))
        .withBatchSize(batchSize)
        .withResults();
  }

  /**
   * The finished jobs lacking the tag, listed once here so that exactly these are read and then
   * tagged (a job finishing during the load waits for the next run). None at all in the project is
   * a mistake worth an error; none left untagged is a normal incremental run with nothing new.
   */
  /** The finished jobs lacking the tag: those that hold items, and those that hold none. */
  record Selection(List<String> withItems, List<String> empty) {}

  static Selection selectJobs(ExampleEnvironment env, String tag) {
    List<String> withItems = new ArrayList<>();
    List<String> empty = new ArrayList<>();
    try (ScrapinghubClient client = ScrapinghubClient.create(env.clientConfig())) {
      var jobs = client.getProject(env.project()).jobs();
      for (JobSummary j : jobs.iter(JobQuery.all().state("finished").lacksTag(tag))) {
        // The listing carries a finished job's item count; a job listed without one is asked for its stats.
        long items = j.items().isPresent() ? j.items().getAsLong()
            : client.getJob(j.key()).items().stats().path("totals").path("input_values").asLong(0);
        (items > 0 ? withItems : empty).add(j.key().toString());
      }
      if (withItems.isEmpty() && empty.isEmpty() && jobs.list(JobQuery.all().state("finished").limit(1)).isEmpty()) {
        throw new IllegalArgumentException("project " + env.project() + " has no finished job: nothing to load; "
            + "expected the id of a project whose spiders have run (check --project)");
      }
    }
    return new Selection(withItems, empty);
  }

  /** Tags jobs that have nothing to load; returns how many were tagged. */
  private static long tagConsumed(ExampleEnvironment env, List<String> keys, String tag) {
    if (keys.isEmpty()) {
      return 0;
    }
    try (ScrapinghubClient client = ScrapinghubClient.create(env.clientConfig())) {
      for (String key : keys) {
        client.getJob(key).updateTags(List.of(tag), List.of());
      }
    }
    return keys.size();
  }

  /**
   * Counts what passes on its way to a table: rows to the items table, or records that did not
   * convert to the failures table (a Beam counter, and the driver's live line).
   */
  private static final class CountFn<T> extends DoFn<T, T> {
    private final String progressId;
    /** Rows when true, failures when false: names the counter and the live line's figure. */
    private final boolean rows;
    private final Counter counter;
    private transient LoadProgress progress;

    private CountFn(String progressId, boolean rows) {
      this.progressId = progressId;
      this.rows = rows;
      this.counter = Metrics.counter(NAMESPACE, rows ? "rows" : "failures");
    }

    static CountFn<Row> rows(String progressId) {
      return new CountFn<>(progressId, true);
    }

    static CountFn<FailedRecord> failures(String progressId) {
      return new CountFn<>(progressId, false);
    }

    @Setup
    public void setup() {
      progress = LoadProgress.inThisJvm(progressId);
    }

    @ProcessElement
    public void process(@Element T element, OutputReceiver<T> out) {
      counter.inc();
      if (progress != null) {
        if (rows) {
          progress.row();
        } else {
          progress.failure();
        }
      }
      out.output(element);
    }
  }
}
