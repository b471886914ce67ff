package io.scrapinghubio.examples;

import static io.scrapinghubio.examples.MetricTotals.counter;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.metrics.ClientMetrics;
import io.scrapinghubio.beam.ScrapinghubRead;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import io.scrapinghubio.client.RunRequest;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Follows a project live: a streaming pipeline that reads every job of the project as it is
 * scraped (running jobs too, page by page), windows the items by the minute they were scraped (their
 * store time {@code _ts}) and writes one JSON-lines file per window and pane into the {@code --output}
 * directory, with {@code _key} and {@code _ts} in each line. A progress line every few seconds says
 * how far behind the crawls it is; the last line names the directory, absolute.
 *
 * <pre>
 * mvn -B -q install -DskipTests &amp;&amp; mvn -B -q -f pipelines-examples/pom.xml exec:exec \
 *     -Dexec.mainClass=io.scrapinghubio.examples.FollowProject
 *     [-Dapp.args="--schedule=poetry,travel --items-per-crawl=500 --output=/tmp/follow"]
 *     [-Dapp.args="--endpoint=https://storage.scrapinghub.com/ --project=123 --spider=books --idle-polls=0"]  (key from SH_APIKEY, or --apikey-file=PATH)
 * </pre>
 *
 * <p>Without {@code --endpoint} it starts an embedded emulator whose spider {@code books} crawls
 * for real (25 items a second, 5 to a page), and schedules a few crawls itself, one every few
 * seconds, so there is something to follow; it stops by itself once {@code --idle-polls} polls in a
 * row found no new job and the jobs it reads have ended. Against a real project it schedules
 * nothing unless {@code --schedule} says so, and {@code --idle-polls=0} follows until stopped.
 *
 * <p>Runs on Flink embedded in this JVM, in streaming mode with checkpoints every 2 s, unless
 * {@code --runner} says otherwise; on a Flink cluster ({@code --flink-master}) with the same
 * settings, and the cluster's restart strategy. The progress line sums what this JVM processed: on a
 * cluster, read the {@code follow_*} metrics instead.
 *
 * <p><b>Exactly once into files, across restores.</b> After a failure Flink restores the last
 * checkpoint and the read emits again what it had emitted since; the windows refire, and a pane may
 * then hold other items than before (the watermark moved differently). So the writer
 * ({@link WriteWindowFile}) is {@code @RequiresStableInput}: Flink hands it a pane only once a
 * checkpoint holding that pane has completed, and after a restore hands it exactly the same panes
 * again; each file is named by its window and pane index and replaces its namesake. A file of a
 * pane that a failure discarded is never written. (The one exception, Beam's own: the panes still
 * waiting when the job ends by itself are written without a further checkpoint, see
 * {@code enableStableInputDrain}.)
 */
public final class FollowProject {
  /** Prefix of the window files in the output directory. */
  static final String PREFIX = "items-";

  /** Beam options of the follow (kebab-case on the command line: {@code --idle-polls}; see {@link ExampleArgs}). */
  public interface Options extends PipelineOptions {
    @Description("Spider whose jobs to follow")
    @Default.String("books")
    String getSpider();

    void setSpider(String s);

    @Description("Categories to crawl, one job each, scheduled one every --schedule-every-seconds "
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

    @Description("Tag added to each job once all its items were emitted; jobs with it are not read (empty = none)")
    @Default.String("")
    String getConsumedTag();

    void setConsumedTag(String tag);

    @Description("Directory for the window files, one per minute of scrape time and pane: "
        + "items-<minute start>-<minute end>-pane-<n>.jl; new or empty (relative: to where the example was started)")
    @Default.String("target/follow")
    String getOutput();

    void setOutput(String o);

    @Description("Seconds between two progress lines")
    @Default.Integer(5)
    int getProgressSeconds();

    void setProgressSeconds(int s);
  }

  /** What the follow did, and where its files are: the example's last line. */
  public record Summary(long jobsFollowed, long jobsFinished, long items, long windowFiles, long linesWritten, Path directory) {
    @Override
    public String toString() {
      return String.format("Followed %d jobs (%d finished), %d items, written as %d lines in %d window files in %s",
          jobsFollowed, jobsFinished, items, linesWritten, windowFiles, directory);
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
      System.out.println(run(env, options(env)));
    }
  }

  /** The follow's options from the command line, with its runner settings ({@link #runnerDefaults}). */
  static Options options(ExampleEnvironment env) {
    return ExampleArgs.options(runnerDefaults(env.beamArgs()), Options.class);
  }

  /**
   * {@code beamArgs} (camelCase) with what the follow needs on Flink, where the command line does not
   * say otherwise: the FlinkRunner (embedded, {@code [local]}, unless {@code --flink-master} names a
   * cluster), streaming with checkpoints every 2 s, for the embedded cluster a restart strategy
   * (a cluster has its own), and sources that stop once idle when the follow has an end.
   */
  static String[] runnerDefaults(String[] beamArgs) {
    List<String> args = new ArrayList<>(List.of(beamArgs));
    if (!ExampleArgs.has(beamArgs, "runner")) {
      args.add("--runner=FlinkRunner");
    }
    String runner = value(args, "runner");
    if (!runner.substring(runner.lastIndexOf('.') + 1).equalsIgnoreCase("FlinkRunner")) {
      return args.toArray(new String[0]);
    }
    String master = value(args, "flinkMaster");
    boolean embedded = master == null || master.equals("[local]") || master.equals("[auto]");
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("flinkMaster", "[local]");
    defaults.put("streaming", "true");
    defaults.put("checkpointingInterval", "2000");
    if (embedded) {
      defaults.put("numberOfExecutionRetries", "3"); // a failed task restarts the job from its last checkpoint
      defaults.put("executionRetryDelay", "1000");
    }
    // No step here changes its input: Flink need not copy records between chained steps.
    defaults.put("fasterCopy", "true");
    if (!"0".equals(value(args, "idlePolls"))) {
      // With checkpoints on, Beam keeps its start-up sources alive forever unless told otherwise;
      // the follow's own termination can end the job only once they stop. The price: from then on
      // Beam's Flink runner emits no watermark until the polling ends, so every window is written
      // at the end. A follow without end (--idle-polls=0) keeps them, or it would write nothing, ever.
      defaults.put("shutdownSourcesAfterIdleMs", "1000");
    }
    // When the follow ends by itself, the panes the writer holds until the next checkpoint are
    // written at once: without this Beam fails the ending job instead (see WriteWindowFile).
    defaults.put("enableStableInputDrain", "true");
    defaults.forEach((name, value) -> {
      if (!ExampleArgs.has(beamArgs, name)) {
        args.add("--" + name + "=" + value);
      }
    });
    return args.toArray(new String[0]);
  }

  private static String value(List<String> args, String name) {
    String found = null;
    for (String a : args) {
      if (a.startsWith("--" + name + "=")) {
        found = a.substring(name.length() + 3);
      }
    }
    return found;
  }

  public static Summary run(ExampleEnvironment env, Options options) {
    atLeast("poll-seconds", options.getPollSeconds(), 1);
    atLeast("idle-polls", options.getIdlePolls(), 0);
    atLeast("items-per-crawl", options.getItemsPerCrawl(), 0);
    atLeast("schedule-every-seconds", options.getScheduleEverySeconds(), 0);
    atLeast("progress-seconds", options.getProgressSeconds(), 1);
    checkJavaUtilOpenOnEmbeddedFlink(options);
    // Absolute: a worker of a cluster resolves a relative path against its own directory.
    Path dir = OutputDirectory.of(options.getOutput());
    List<Path> before = OutputDirectory.entries(dir);
    if (!before.isEmpty()) {
      // The files of an earlier follow would be counted with this one's, and some replaced by its namesakes.
      throw new IllegalArgumentException("--output=" + options.getOutput() + ": " + dir + " is not empty (it holds "
          + before.get(0).getFileName() + (before.size() > 1 ? " and " + (before.size() - 1) + " more" : "")
          + "); expected a new or empty directory");
    }
    ScrapinghubRead<ScrapinghubRecord> follow = ScrapinghubIO.read().withConnection(env.connection())
        .withProject(env.project()).withSpiders(options.getSpider())
        .continuously(Duration.standardSeconds(options.getPollSeconds())).withRunningJobs();
    if (options.getIdlePolls() > 0) {
      follow = follow.withTerminationAfterIdlePolls(options.getIdlePolls());
    }
    if (!options.getConsumedTag().isBlank()) {
      follow = follow.markConsumed(options.getConsumedTag().strip());
    }
    Pipeline p = Pipeline.create(options);
    p.apply("Follow", follow)
        .apply("Progress", ParDo.of(new CountProgress()))
        .apply("ByMinuteScraped", Window.<String>into(FixedWindows.of(Duration.standardMinutes(1)))
            // A minute's file is written when the watermark passes its end; records that come
            // later (a job found late) go to a further file of that minute instead of being dropped.
            .triggering(AfterWatermark.pastEndOfWindow()
                .withLateFirings(AfterProcessingTime.pastFirstElementInPane().plusDelayOf(Duration.standardSeconds(10))))
            // Beam fires a window's on-time pane even when it is empty; an empty file says nothing.
            .withOnTimeBehavior(Window.OnTimeBehavior.FIRE_IF_NON_EMPTY)
            .withAllowedLateness(Duration.standardDays(1)).discardingFiredPanes())
        // One file per window and pane: every line of a pane goes to one writer.
        .apply("OneFilePerPane", WithKeys.of(0))
        .setCoder(KvCoder.of(VarIntCoder.of(), StringUtf8Coder.of()))
        .apply("Panes", GroupByKey.create())
        .apply("WriteWindows", ParDo.of(new WriteWindowFile(dir.toString(), OutputDirectory.staging(dir).toString())));

    CountProgress.reset();
    ScheduledExecutorService background = Executors.newScheduledThreadPool(3, r -> {
      Thread t = new Thread(r, "follow-project-example");
      t.setDaemon(true);
      return t;
    });
    ScrapinghubClient client = null;
    try {
      List<String> categories = categories(env, options);
      if (!categories.isEmpty()) {
        // Only to schedule crawls: following needs no key here (the workers read the project).
        client = ScrapinghubClient.create(env.clientConfig());
        scheduleCrawls(env, options, client, background, categories);
      }
      background.scheduleAtFixedRate(() -> System.out.println(CountProgress.line()), options.getProgressSeconds(),
          options.getProgressSeconds(), TimeUnit.SECONDS);
      PipelineResult result = p.run(); // on Flink, returns once the job has ended
      PipelineResult.State state = result.waitUntilFinish();
      if (state != PipelineResult.State.DONE) {
        throw new IllegalStateException("the follow's pipeline ended " + state + "; the window files written so far are in " + dir);
      }
      System.out.println(CountProgress.line());
      MetricQueryResults m = result.metrics().queryMetrics(MetricsFilter.builder()
          .addNameFilter(MetricNameFilter.inNamespace(ClientMetrics.NAMESPACE)).build());
      OutputDirectory.removeStaging(dir);
      List<Path> files = windowFiles(dir);
      return new Summary(counter(m, "follow_jobs_followed"), counter(m, "follow_jobs_finished"), counter(m, "follow_records"),
          files.size(), OutputDirectory.lines(files), dir);
    } finally {
      background.shutdownNow();
      if (client != null) {
        client.close();
      }
    }
  }

  /**
   * Flink checkpoints the writer's buffered panes with Kryo, which on Java 17 must reach into
   * java.util; Flink's own scripts open it for a cluster's JVMs, but embedded Flink runs in this one.
   * Without the flag every checkpoint of the writer fails and the job restarts until it gives up,
   * so it is refused here, at once.
   */
  static void checkJavaUtilOpenOnEmbeddedFlink(PipelineOptions options) {
    if (!(options.getRunner().getSimpleName().equals("FlinkRunner"))) {
      return;
    }
    String master = options.as(FlinkPipelineOptions.class).getFlinkMaster();
    boolean embedded = master == null || master.equals("[local]") || master.equals("[auto]");
    if (embedded && !Object.class.getModule().isOpen("java.util", FollowProject.class.getModule())) {
      throw new IllegalStateException("FollowProject on embedded Flink needs the JVM option "
          + "--add-opens=java.base/java.util=ALL-UNNAMED (Flink's Kryo serializer checkpoints the window writer's input); "
          + "`mvn -f pipelines-examples/pom.xml exec:exec` adds it");
    }
  }

  private static void atLeast(String flag, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException("--" + flag + "=" + value + ": expected at least " + min);
    }
  }

  /** The categories to crawl: {@code --schedule}, by default the demo's four on the embedded emulator only. */
  private static List<String> categories(ExampleEnvironment env, Options options) {
    String schedule = options.getSchedule() != null ? options.getSchedule()
        : env.embedded() ? "poetry,travel,history,science" : "";
    List<String> categories = new ArrayList<>();
    for (String category : schedule.split(",")) {
      if (!category.isBlank()) {
        categories.add(category.strip());
      }
    }
    return categories;
  }

  /** One crawl per category, one every few seconds from now on, so that jobs appear while the pipeline runs. */
  private static void scheduleCrawls(ExampleEnvironment env, Options options, ScrapinghubClient client,
      ScheduledExecutorService background, List<String> categories) {
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

  /** The window files in {@code dir}. */
  static List<Path> windowFiles(Path dir) {
    return OutputDirectory.files(dir, n -> n.startsWith(PREFIX) && n.endsWith(".jl"));
  }

  /**
   * Writes a pane's lines as {@code items-<window start>-<window end>-pane-<index>.jl}: into the
   * staging directory first, then renamed into place, so a file that appears is complete, and
   * replacing a namesake, so a pane handed over again after a restore replaces its earlier copy.
   *
   * <p>{@code @RequiresStableInput} is what makes that exact. Without it, a restored job can fire a
   * pane again with other items in it than the pane written before the failure (pane 0 with items
   * 0..79 and pane 1 with 80..99 where the first attempt had written pane 0 with 0..99, or the other
   * way round), and the files would then hold some items twice. With it, Flink buffers each pane in
   * the checkpoint and hands it over only once that checkpoint has completed: after a restore, the
   * panes handed over are exactly those of the restored checkpoint, as they were.
   */
  static final class WriteWindowFile extends DoFn<KV<Integer, Iterable<String>>, Void> {
    private final String directory;
    private final String staging;

    WriteWindowFile(String directory, String staging) {
      this.directory = directory;
      this.staging = staging;
    }

    @RequiresStableInput
    @ProcessElement
    public void process(@Element KV<Integer, Iterable<String>> pane, BoundedWindow window, PaneInfo paneInfo) throws IOException {
      String name = fileName((IntervalWindow) window, paneInfo.getIndex());
      Path target = Path.of(directory).resolve(name);
      Files.createDirectories(target.getParent());
      Files.createDirectories(Path.of(staging));
      // A file of its own per attempt: a writer killed mid-write leaves a stray file in staging, never half a window file.
      Path temp = Path.of(staging).resolve(name + "." + UUID.randomUUID());
      try (BufferedWriter out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
        for (String line : pane.getValue()) {
          out.write(line);
          out.write('\n');
        }
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static String fileName(IntervalWindow w, long paneIndex) {
      return PREFIX + w.start() + "-" + w.end() + "-pane-" + paneIndex + ".jl";
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
