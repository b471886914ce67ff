package io.scrapinghubio.examples;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.beam.ScrapinghubRead;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.extensions.sql.SqlTransform;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Beam SQL over a project's items without writing a schema: every finished job is read as rows of
 * a schema inferred from a sample of the jobs, and one SQL query runs across all of them (items,
 * average, lowest and highest price per category and currency; the category is the second
 * breadcrumb of the demo shop's items). Records that do not fit the inferred schema are written
 * apart, with the reason, rather than failing the run.
 *
 * <pre>
 * mvn -q install -DskipTests &amp;&amp; mvn -q -f pipelines-examples/pom.xml compile exec:exec \
 *     -Dexec.mainClass=io.scrapinghubio.examples.ItemsSql [-Dapp.args="--endpoint=... --project=123"]
 * </pre>
 * Without {@code --endpoint} it runs on an embedded emulator seeded with demo data. Output:
 * {@code <output>/prices-*.csv} and {@code <output>/failures-*.txt}; its last line names them, absolute.
 */
public final class ItemsSql {
  /** Across every job read; Beam SQL indexes arrays from 1. */
  static final String QUERY = "SELECT breadcrumbs[2] AS category, currency, COUNT(*) AS items, "
      + "AVG(price) AS avg_price, MIN(price) AS min_price, MAX(price) AS max_price "
      + "FROM PCOLLECTION GROUP BY breadcrumbs[2], currency";

  static final String HEADER = "category,currency,items,avg_price,min_price,max_price";

  /** Beam options of the example (the API key is deliberately not one: see {@link ExampleEnvironment}). */
  public interface Options extends PipelineOptions {
    @Description("Directory for prices-*.csv (the query's result) and failures-*.txt (records that did not convert); "
        + "relative: to where the example was started")
    @Default.String("target/items-sql")
    String getOutput();

    void setOutput(String o);
  }

  /** What the query wrote, and where: the example's last line. */
  public record Summary(long project, Path directory, List<Path> prices, List<Path> failures, long failedRecords) {
    @Override
    public String toString() {
      return "Prices per category of project " + project + " in " + directory.resolve("prices-*.csv") + " (" + prices.size()
          + " files); " + failedRecords + " records that did not convert in " + directory.resolve("failures-*.txt");
    }
  }

  public static void main(String[] args) {
    try (ExampleEnvironment env = ExampleEnvironment.fromArgs(args)) {
      System.out.println(run(env.connection(), env.project(), ExampleArgs.options(env.beamArgs(), Options.class)));
    }
  }

  static Summary run(ScrapinghubConnection connection, long project, Options options) {
    // Absolute: a worker of a cluster resolves a relative path against its own directory.
    Path dir = OutputDirectory.of(options.getOutput());
    Pipeline p = Pipeline.create(options);
    // The schema is inferred here, at construction, and logged; withSqlSafeFieldNames() renames any
    // item field whose name Beam SQL's aggregations cannot resolve (accents, spaces, symbols).
    ScrapinghubRead<Row> items = ScrapinghubIO.read().withConnection(connection).withProject(project)
        .asRows().withSqlSafeFieldNames();
    // Items that do not fit the inferred schema go, one line each (what failed, why, the item as
    // stored), to failures-*.txt: Beam's bad-record handler, the same as for any Beam IO.
    try (BadRecordErrorHandler<?> failures = p.registerBadRecordErrorHandler(PTransform.compose("WriteFailures",
        (PCollection<BadRecord> bad) -> bad
            .apply("Describe", MapElements.into(TypeDescriptors.strings())
                .via((BadRecord f) -> f.getFailure().getDescription() + "\t" + f.getRecord().getHumanReadableJsonRecord()))
            .apply("Write", TextIO.write().to(dir.resolve("failures").toString()).withSuffix(".txt"))))) {
      p.apply("ReadItems", items.withBadRecordErrorHandler(failures))
          .apply("PricesPerCategory", SqlTransform.query(QUERY))
          .apply("ToCsv", MapElements.into(TypeDescriptors.strings()).via(ItemsSql::csv))
          .apply("WritePrices", TextIO.write().to(dir.resolve("prices").toString()).withSuffix(".csv").withHeader(HEADER));
    }
    PipelineResult.State state = p.run().waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("the query's pipeline ended " + state + ": the files in " + dir + " are incomplete");
    }
    List<Path> failures = OutputDirectory.files(dir, n -> n.startsWith("failures-") && n.endsWith(".txt"));
    return new Summary(project, dir, OutputDirectory.files(dir, n -> n.startsWith("prices-") && n.endsWith(".csv")),
        failures, OutputDirectory.lines(failures));
  }

  static String csv(Row r) {
    return quoted(r.getString("category")) + "," + quoted(r.getString("currency")) + "," + r.getInt64("items") + ","
        + r.getDouble("avg_price") + "," + r.getDouble("min_price") + "," + r.getDouble("max_price");
  }

  private static String quoted(String s) {
    return s == null ? "" : "\"" + s.replace("\"", "\"\"") + "\"";
  }
}
