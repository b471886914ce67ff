package io.scrapinghubio.examples;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.flink.LoopbackFlinkConfig;
import io.scrapinghubio.beam.metrics.ClientMetrics;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Bulk export: every item of every finished job of a project, read in parallel, written as sharded
 * JSON-lines files, with a LogStats-style progress line while it runs and a summary at the end.
 *
 * <pre>
 * mvn -q install -DskipTests &amp;&amp; mvn -q -f pipelines-examples/pom.xml compile exec:exec
 *     [-Dapp.args="--runner=FlinkRunner --output=/tmp/export/items"]
 *     [-Dapp.args="--endpoint=https://storage.scrapinghub.com/ --project=123 --output=..."]  (key from SH_APIKEY, or --apikeyFile=PATH)
 * </pre>
 * Without {@code --endpoint} it starts an embedded emulator seeded with demo data.
 */
public final class BulkExport {

  /** Beam options of the export (the API key is deliberately not one: see {@link ExampleEnvironment}). */
  public interface Options extends PipelineOptions {
    @Description("Output directory (local); shards are written as <output>/part-SSSSS-of-NNNNN.jl. It must not "
        + "exist unless --overwrite is given")
    @Default.String("target/export")
    String getOutput();

    void setOutput(String o);

    @Description("Replace the output directory if it exists (only once the new export has completed)")
    @Default.Boolean(false)
    boolean getOverwrite();

    void setOverwrite(boolean o);

    @Description("Number of output shards; 0 (the default) lets the runner choose, which avoids a "
        + "shuffle of the whole export just to fix the file count")
    @Default.Integer(0)
    int getShards();

    void setShards(int n);

    @Description("Seconds between progress lines")
    @Default.Integer(5)
    int getProgressSeconds();

    void setProgressSeconds(int s);

    @Description("Only jobs of this spider (default: all spiders)")
    String getSpider();

    void setSpider(String s);
  }

  /** What the export did, from the pipeline's metrics. */
  public record Summary(long jobs, long items, long bytes, double seconds) {
    double itemsPerSecond() {
      return seconds <= 0 ? 0 : items / seconds;
    }

    @Override
    public String toString() {
      return String.format("Exported %d jobs, %d items, %.1f MB in %.1f s (%.0f items/s, %.1f MB/s)",
          jobs, items, bytes / 1e6, seconds, itemsPerSecond(), seconds <= 0 ? 0 : bytes / 1e6 / seconds);
    }
  }

  public static void main(String[] args) {
    try (ExampleEnvironment env = ExampleEnvironment.fromArgs(args)) {
      // Embedded Flink (the default here) serves its REST API on 127.0.0.1 only.
      String[] beamArgs = LoopbackFlinkConfig.addTo(withExportDefaults(env.beamArgs()));
      Options options = PipelineOptionsFactory.fromArgs(beamArgs).withValidation().as(Options.class);
      System.out.println("Runner: " + options.getRunner().getSimpleName()
          + (java.util.Arrays.asList(beamArgs).contains(EMBEDDED_FLINK) ? " (embedded, the default for this export; "
              + "--runner=DirectRunner for Beam's test runner)" : ""));
      System.out.println(run(env, options));
    }
  }

  /** The runner this export defaults to, unless {@code --runner} says otherwise. */
  static final String EMBEDDED_FLINK = "--runner=FlinkRunner";

  /**
   * The export's defaults on top of the user's arguments. Embedded Flink, because the export
   * benchmark (benchmarks/results/export.md) measured it one to two orders of magnitude faster
   * than Beam's Direct runner, which is a test runner: it re-encodes and checks every element and
   * runs bundles through a timer loop. With Flink, {@code --fasterCopy} hands elements between
   * chained steps without a coder round trip; safe because no step of this pipeline mutates its
   * input.
   */
  static String[] withExportDefaults(String[] args) {
    java.util.List<String> l = new java.util.ArrayList<>(java.util.List.of(args));
    boolean runnerGiven = l.stream().anyMatch(a -> a.startsWith("--runner="));
    if (!runnerGiven) {
      l.add(EMBEDDED_FLINK);
    }
    boolean flink = l.stream().anyMatch(a -> a.startsWith("--runner=") && a.contains("Flink"));
    if (flink && l.stream().noneMatch(a -> a.startsWith("--fasterCopy"))) {
      l.add("--fasterCopy=true");
    }
    return l.toArray(new String[0]);
  }

  public static Summary run(ExampleEnvironment env, Options options) {
    ExportDirectory output = ExportDirectory.prepare(options.getOutput(), options.getOverwrite());
    try {
      Summary s = run(env, options, output);
      output.commit();
      return s;
    } catch (RuntimeException | Error e) {
      output.abandon();
      throw e;
    }
  }

  private static Summary run(ExampleEnvironment env, Options options, ExportDirectory output) {
    Pipeline p = Pipeline.create(options);
    var read = ScrapinghubIO.read().withConnection(env.connection()).withProject(env.project())
        .withProgressInterval(java.time.Duration.ofSeconds(options.getProgressSeconds()));
    if (options.getSpider() != null) {
      read = read.withSpiders(options.getSpider());
    }
    p.apply("ReadItems", read)
        .apply("WriteFiles", FileIO.<ScrapinghubRecord>write().via(ScrapinghubIO.jsonLinesSink())
            .to(output.filesDirectory()).withTempDirectory(output.tempDirectory()).withPrefix("part").withSuffix(".jl").withNumShards(options.getShards()));
    long start = System.nanoTime();
    PipelineResult result = p.run();
    result.waitUntilFinish();
    double seconds = (System.nanoTime() - start) / 1e9;
    MetricQueryResults m = result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.inNamespace(ClientMetrics.NAMESPACE)).build());
    return new Summary(counter(m, "read_jobs"), counter(m, "read_records"), counter(m, "read_bytes"), seconds);
  }

  private static long counter(MetricQueryResults m, String name) {
    long total = 0;
    for (MetricResult<Long> c : m.getCounters()) {
      if (c.getName().getName().equals(name)) {
        Long v;
        try {
          v = c.getCommitted();
        } catch (UnsupportedOperationException e) {
          v = c.getAttempted();
        }
        total += v == null ? c.getAttempted() : v;
      }
    }
    return total;
  }
}
