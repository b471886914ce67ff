package io.scrapinghubio.examples;

import static io.scrapinghubio.examples.MetricTotals.counter;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.CrawlAndRead;
import io.scrapinghubio.beam.metrics.ClientMetrics;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import io.scrapinghubio.client.RunRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * A pipeline-scheduled crawl: a list of categories in, one crawl scheduled per category (never
 * twice, even if a bundle is retried), awaited without holding workers, its items read and
 * written to JSON-lines files, and the jobs tagged {@code consumed} once the files are written.
 * Failures (duplicates, timeouts...) are written next to the items.
 *
 * <pre>
 * mvn -q install -DskipTests &amp;&amp; mvn -q -f pipelines-examples/pom.xml compile exec:exec \
 *     -Dexec.mainClass=io.scrapinghubio.examples.ScheduledCrawl
 *     [-Dapp.args="--categories=poetry,travel --output=/tmp/crawl --runner=FlinkRunner"]
 *     [-Dapp.args="--endpoint=https://storage.scrapinghub.com/ --project=123 --spider=books ..."]  (key from SH_APIKEY, or --apikey-file=PATH)
 * </pre>
 * Without {@code --endpoint} it starts an embedded emulator whose spider {@code books} really runs.
 * Its last line names the directory of the files, absolute.
 */
public final class ScheduledCrawl {

  /** Beam options of the crawl. */
  public interface Options extends PipelineOptions {
    @Description("Categories to crawl, one job each")
    @Default.String("poetry,travel,history,science")
    String getCategories();

    void setCategories(String c);

    @Description("Spider to run")
    @Default.String("books")
    String getSpider();

    void setSpider(String s);

    @Description("Directory for items-*.jl and failures-*.txt (relative: to where the example was started)")
    @Default.String("target/crawl")
    String getOutput();

    void setOutput(String o);

    @Description("Seconds between polls of the running jobs")
    @Default.Integer(1)
    int getPollSeconds();

    void setPollSeconds(int s);

    @Description("Minutes to wait for the crawls at most")
    @Default.Integer(60)
    int getTimeoutMinutes();

    void setTimeoutMinutes(int m);
  }

  /** What the crawl did, from the pipeline's metrics. */
  public record Summary(long scheduled, long finished, long items, long consumed, long failures, Path directory) {
    @Override
    public String toString() {
      return String.format("Scheduled %d jobs, %d finished, %d items written, %d jobs tagged consumed, %d failures; "
          + "files in %s (items-*.jl, failures-*.txt)", scheduled, finished, items, consumed, failures, directory);
    }
  }

  public static void main(String[] args) {
    try (ExampleEnvironment env = ExampleEnvironment.forCrawls(args)) {
      // On embedded Flink, its REST API is served on 127.0.0.1 only.
      System.out.println(run(env, ExampleArgs.options(env.beamArgs(), Options.class)));
    }
  }

  public static Summary run(ExampleEnvironment env, Options options) {
    if (options.getPollSeconds() < 1) {
      throw new IllegalArgumentException("--poll-seconds=" + options.getPollSeconds() + ": expected at least 1");
    }
    if (options.getTimeoutMinutes() < 1) {
      throw new IllegalArgumentException("--timeout-minutes=" + options.getTimeoutMinutes() + ": expected at least 1");
    }
    // Absolute: a worker of a cluster resolves a relative path against its own directory.
    Path dir = OutputDirectory.of(options.getOutput());
    List<RunRequest> requests = new ArrayList<>();
    for (String c : options.getCategories().split(",")) {
      if (!c.isBlank()) {
        requests.add(RunRequest.of(options.getSpider()).withArg("category", c.strip()).withTags("pipeline"));
      }
    }
    Pipeline p = Pipeline.create(options);
    // The crawl's failures (a request not scheduled, a job not awaited, read or tagged) are written
    // next to the items, one line each: the description, which names the request or the job, then
    // the element as JSON. Without this error handler the first one would fail the pipeline.
    try (BadRecordErrorHandler<?> failures = p.registerBadRecordErrorHandler(PTransform.compose("WriteFailures",
        (PCollection<BadRecord> bad) -> bad
            .apply("FailuresToText", MapElements.into(TypeDescriptors.strings())
                .via((BadRecord f) -> f.getFailure().getDescription() + "\t" + f.getRecord().getHumanReadableJsonRecord()))
            .apply("WriteFailures", TextIO.write().to(dir.resolve("failures").toString()).withSuffix(".txt")
                .withNumShards(1))))) {
      CrawlAndRead.Result crawl = p
          .apply("Categories", Create.of(requests).withCoder(SerializableCoder.of(RunRequest.class)))
          .apply("Crawl", ScrapinghubIO.crawlAndRead().withProject(env.project()).withConnection(env.connection())
              .withPollInterval(Duration.ofSeconds(options.getPollSeconds()))
              .withTimeout(Duration.ofMinutes(options.getTimeoutMinutes()))
              .withBadRecordErrorHandler(failures));
      WriteFilesResult<Void> written = crawl.items()
          .apply("ToJsonLines", MapElements.into(TypeDescriptors.strings()).via(ScrapinghubRecord::json))
          .apply("WriteItems", TextIO.write().to(dir.resolve("items").toString()).withSuffix(".jl").withOutputFilenames());
      // Before the handler closes: jobs that cannot be tagged go to it too.
      crawl.markConsumedAfter(written.getPerDestinationOutputFilenames());
    }
    PipelineResult result = p.run();
    PipelineResult.State state = result.waitUntilFinish();
    if (state != PipelineResult.State.DONE) {
      throw new IllegalStateException("the crawl's pipeline ended " + state + ": the files in " + dir + " are incomplete");
    }
    MetricQueryResults m = result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.inNamespace(ClientMetrics.NAMESPACE)).build());
    return new Summary(counter(m, "jobs_scheduled") + counter(m, "jobs_already_scheduled"), counter(m, "jobs_awaited"),
        counter(m, "read_records"), counter(m, "jobs_tagged"),
        counter(m, "jobs_schedule_failures") + counter(m, "jobs_await_failures"), dir);
  }
}
