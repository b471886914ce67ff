package io.scrapinghubio.examples;

import static io.scrapinghubio.examples.MetricTotals.counter;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.flink.LoopbackFlinkConfig;
import io.scrapinghubio.beam.metrics.ClientMetrics;
import io.scrapinghubio.beam.read.ScrapinghubRead;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import io.scrapinghubio.client.RunRequest;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Follows a project live: a streaming pipeline that reads every job of the project as it is
 * scraped (running jobs too, page by page), windows the items by the minute they were scraped (their
 * store time {@code _ts}) and writes one JSON-lines file per window, with {@code _key} and
 * {@code _ts} in each line. A progress line every few seconds says how far behind the crawls it is.
 *
 * <pre>
 * mvn -B -q install -DskipTests &amp;&amp; mvn -B -q -f pipelines-examples/pom.xml exec:exec \
 *     -Dexec.mainClass=io.scrapinghubio.examples.FollowProject
 *     [-Dapp.args="--schedule=poetry,travel --itemsPerCrawl=500 --output=/tmp/follow/items"]
 *     [-Dapp.args="--endpoint=https://storage.scrapinghub.com/ --project=123 --spider=books --idlePolls=0"]  (key from SH_APIKEY, or --apikeyFile=PATH)
 * </pre>
 *
 * <p>Without {@code --endpoint} it starts an embedded emulator whose spider {@code books} crawls
 * for real (25 items a second, 5 to a page), and schedules a few crawls itself, one every few
 * seconds, so there is something to follow; it stops by itself once {@code --idlePolls} polls in a
 * row found no new job and the jobs it reads have ended. Against a real project it schedules
 * nothing unless {@code --schedule} says so, and {@code --idlePolls=0} follows until stopped.
 *
 * <p>Runs on Flink embedded in this JVM, in streaming mode with checkpoints every 2 s, unless
 * {@code --runner} says otherwise. The progress line sums what this JVM processed: on a cluster,
 * read the {@code follow_*} metrics instead.
 */
public final class FollowProject {

  /** Beam options of the follow. */
  public interface Options extends PipelineOptions {
    @Description("Spider whose jobs to follow")
    @Default.String("books")
    String getSpider();

    void setSpider(String s);

    @Description("Categories to crawl, one job each, scheduled one every --scheduleEverySeconds "
        + "(default on the embedded emulator: poetry,travel,history,science; on a real project: none)")
    String getSchedule();

    void setSchedule(String c);

    @Description("Seconds between two scheduled crawls")
    @Default.Integer(4)
    int getScheduleEverySeconds();

    void setScheduleEverySeconds(int s);

    @Description("Items each scheduled crawl scrapes (spider argument items)")
    @Default.Integer(250)
    int getItemsPerCrawl();

    void setItemsPerCrawl(int n);

    @Description("Seconds between two listings of the project's jobs")
    @Default.Integer(1)
    int getPollSeconds();

    void setPollSeconds(int s);

    @Description("Stop after this many polls in a row found no new job (0 = follow until stopped)")
    @Default.Integer(12)
    int getIdlePolls();

    void setIdlePolls(int n);

    @Description("Tag added to each job once all its items were emitted; such jobs are not read again (empty = none)")
    @Default.String("")
    String getMarkConsumed();

    void setMarkConsumed(String tag);

    @Description("Output files prefix: one file per minute of scrape time, PREFIX-<minute start>-<minute end>-pane-...jl")
    @Default.String("target/follow/items")
    String getOutput();

    void setOutput(String o);

    @Description("Seconds between two progress lines")
    @Default.Integer(5)
    int getProgressSeconds();

    void setProgressSeconds(int s);
  }

  /** What the follow did. */
  public record Summary(long jobsFollowed, long jobsFinished, long items, long windowFiles, long linesWritten) {
    @Override
    public String toString() {
      return String.format("Followed %d jobs (%d finished), %d items, written as %d lines in %d window files",
          jobsFollowed, jobsFinished, items, linesWritten, windowFiles);
    }
  }

  /** The embedded emulator's crawls: a few items a second, so that running jobs can be watched. */
  static CrawlSimulation demoCrawls() {
    return CrawlSimulation.builder().pendingTime(java.time.Duration.ofMillis(200)).itemsPerSecond(25).itemsPerPage(5)
        .statsInterval(java.time.Duration.ofSeconds(2)).unitsCapacity(2)
        .spider("books", CrawlSimulation.Spider.defaults()).build();
  }

  public static void main(String[] args) {
    try (ExampleEnvironment env = ExampleEnvironment.forCrawls(args, demoCrawls())) {
      String[] beamArgs = env.beamArgs();
      Options options = PipelineOptionsFactory.fromArgs(LoopbackFlinkConfig.addTo(beamArgs)).withValidation().as(Options.class);
      if (!hasOption(beamArgs, "--runner")) {
        onEmbeddedFlink(options.as(FlinkPipelineOptions.class), beamArgs);
      }
      System.out.println(run(env, options));
    }
  }

  /** Streaming on a Flink cluster in this JVM, with checkpoints; options given on the command line win. */
  static void onEmbeddedFlink(FlinkPipelineOptions o, String[] args) {
    o.setRunner(FlinkRunner.class);
    o.setStreaming(true);
    if (!hasOption(args, "--flinkMaster")) {
      o.setFlinkMaster("[local]");
    }
    if (!hasOption(args, "--checkpointingInterval")) {
      o.setCheckpointingInterval(2000L);
    }
    if (!hasOption(args, "--numberOfExecutionRetries")) {
      o.setNumberOfExecutionRetries(3); // a failed task restarts the job from its last checkpoint
    }
    if (!hasOption(args, "--executionRetryDelay")) {
      o.setExecutionRetryDelay(1000L);
    }
    if (!hasOption(args, "--fasterCopy")) {
      o.setFasterCopy(true); // no step here changes its input: Flink need not copy records between chained steps
    }
    if (!hasOption(args, "--shutdownSourcesAfterIdleMs")) {
      // With checkpoints on, Beam keeps its start-up sources alive forever unless told otherwise;
      // the follow's own termination can end the job only once they stop.
      o.setShutdownSourcesAfterIdleMs(1000L);
    }
  }

  private static boolean hasOption(String[] args, String name) {
    for (String a : args) {
      if (a.equals(name) || a.startsWith(name + "=")) {
        return true;
      }
    }
    return false;
  }

  public static Summary run(ExampleEnvironment env, Options options) {
    if (options.getPollSeconds() < 1 || options.getIdlePolls() < 0 || options.getItemsPerCrawl() < 0
        || options.getScheduleEverySeconds() < 0 || options.getProgressSeconds() < 1) {
      throw new IllegalArgumentException("expected --pollSeconds >= 1, --idlePolls >= 0, --itemsPerCrawl >= 0, "
          + "--scheduleEverySeconds >= 0, --progressSeconds >= 1; got " + options.getPollSeconds() + ", "
          + options.getIdlePolls() + ", " + options.getItemsPerCrawl() + ", " + options.getScheduleEverySeconds() + ", "
          + options.getProgressSeconds());
    }
    ScrapinghubRead<ScrapinghubRecord> follow = ScrapinghubIO.read().withConnection(env.connection())
        .withProject(env.project()).withSpiders(options.getSpider())
        .continuously(Duration.standardSeconds(options.getPollSeconds())).withRunningJobs();
    if (options.getIdlePolls() > 0) {
      follow = follow.withTerminationAfterIdlePolls(options.getIdlePolls());
    }
    if (!options.getMarkConsumed().isBlank()) {
      follow = follow.markConsumed(options.getMarkConsumed().strip());
    }
    Pipeline p = Pipeline.create(options);
    p.apply("Follow", follow)
        .apply("Progress", ParDo.of(new CountProgress()))
        .apply("ByMinuteScraped", Window.<String>into(FixedWindows.of(Duration.standardMinutes(1)))
            // A minute's file is written when the watermark passes its end; records that come
            // later (a job found late) go to a further file of that minute instead of being dropped.
            .triggering(AfterWatermark.pastEndOfWindow()
                .withLateFirings(AfterProcessingTime.pastFirstElementInPane().plusDelayOf(Duration.standardSeconds(10))))
            .withAllowedLateness(Duration.standardDays(1)).discardingFiredPanes())
        .apply("WriteWindows", TextIO.write().to(options.getOutput() + "-").withSuffix(".jl").withWindowedWrites().withNumShards(1));

    CountProgress.reset();
    ScheduledExecutorService background = Executors.newScheduledThreadPool(3, r -> {
      Thread t = new Thread(r, "follow-project-example");
      t.setDaemon(true);
      return t;
    });
    try (ScrapinghubClient client = ScrapinghubClient.create(env.clientConfig())) {
      scheduleCrawls(env, options, client, background);
      background.scheduleAtFixedRate(() -> System.out.println(CountProgress.line()), options.getProgressSeconds(),
          options.getProgressSeconds(), TimeUnit.SECONDS);
      PipelineResult result = p.run(); // on embedded Flink, returns once the job has ended
      result.waitUntilFinish();
      System.out.println(CountProgress.line());
      MetricQueryResults m = result.metrics().queryMetrics(MetricsFilter.builder()
          .addNameFilter(MetricNameFilter.inNamespace(ClientMetrics.NAMESPACE)).build());
      long[] files = windowFiles(options.getOutput());
      return new Summary(counter(m, "follow_jobs_followed"), counter(m, "follow_jobs_finished"), counter(m, "follow_records"),
          files[0], files[1]);
    } finally {
      background.shutdownNow();
    }
  }

  /** One crawl per category, one every few seconds from now on, so that jobs appear while the pipeline runs. */
  private static void scheduleCrawls(ExampleEnvironment env, Options options, ScrapinghubClient client,
      ScheduledExecutorService background) {
    String schedule = options.getSchedule() != null ? options.getSchedule()
        : env.embedded() ? "poetry,travel,history,science" : "";
    List<String> categories = new ArrayList<>();
    for (String category : schedule.split(",")) {
      if (!category.isBlank()) {
        categories.add(category.strip());
      }
    }
    if (categories.isEmpty()) {
      return;
    }
    background.execute(() -> {
      if (env.embedded()) {
        // The demo's crawls start once the pipeline has listed the project's jobs for the first
        // time (the engine takes a while to start), so that it follows them while they run.
        env.emulator().requestLog().awaitMatching("GET", "^/jobq/" + env.project() + "/list$", 1, java.time.Duration.ofMinutes(5));
      }
      scheduleEach(env, options, client, background, categories);
    });
  }

  private static void scheduleEach(ExampleEnvironment env, Options options, ScrapinghubClient client,
      ScheduledExecutorService background, List<String> categories) {
    int i = 0;
    for (String category : categories) {
      RunRequest run = RunRequest.of(options.getSpider()).withArg("category", category.strip())
          .withArg("items", Integer.toString(options.getItemsPerCrawl())).withTags("follow-example");
      background.schedule(() -> {
        String key = client.getProject(env.project()).jobs().run(run).key().toString();
        System.out.printf("scheduled %s (%s, %d items)%n", key, category.strip(), options.getItemsPerCrawl());
      }, (long) i++ * options.getScheduleEverySeconds(), TimeUnit.SECONDS);
    }
  }

  /** Files written under the output prefix, and their lines. */
  static long[] windowFiles(String output) {
    Path prefix = Path.of(output).toAbsolutePath();
    Path dir = prefix.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      return new long[] {0, 0};
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> files = new ArrayList<>();
      s.filter(f -> f.getFileName().toString().startsWith(prefix.getFileName().toString()) && f.toString().endsWith(".jl"))
          .forEach(files::add);
      long lines = 0;
      for (Path f : files) {
        try (Stream<String> l = Files.lines(f)) {
          lines += l.count();
        }
      }
      return new long[] {files.size(), lines};
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Turns each record into its JSON line with {@code _key} and {@code _ts} first, and counts it
   * for the progress line (JVM-wide: the embedded engine's workers run in this JVM).
   */
  static final class CountProgress extends DoFn<ScrapinghubRecord, String> {
    private static final AtomicLong ITEMS = new AtomicLong();
    private static final AtomicLong NEWEST = new AtomicLong(Long.MIN_VALUE);
    private static final java.util.Set<String> JOBS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static void reset() {
      ITEMS.set(0);
      NEWEST.set(Long.MIN_VALUE);
      JOBS.clear();
    }

    @ProcessElement
    public void process(@Element ScrapinghubRecord r, @Timestamp Instant scraped, OutputReceiver<String> out) {
      ITEMS.incrementAndGet();
      JOBS.add(r.jobKey());
      NEWEST.accumulateAndGet(scraped.getMillis(), Math::max);
      out.output(line(r, scraped.getMillis()));
    }

    static String line(ScrapinghubRecord r, long ts) {
      String json = r.json().strip();
      String rest = json.equals("{}") ? "}" : "," + json.substring(1);
      return "{\"_key\":\"" + r.key() + "\",\"_ts\":" + ts + rest;
    }

    static String line() {
      long newest = NEWEST.get();
      String lag = newest == Long.MIN_VALUE ? "nothing scraped yet"
          : String.format("newest item scraped %s, lag %.1f s", Instant.ofEpochMilli(newest),
              Math.max(0, System.currentTimeMillis() - newest) / 1000.0);
      return String.format("follow: %d items from %d jobs; %s", ITEMS.get(), JOBS.size(), lag);
    }
  }
}
