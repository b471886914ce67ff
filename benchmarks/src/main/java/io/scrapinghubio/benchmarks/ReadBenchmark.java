package io.scrapinghubio.benchmarks;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.beam.metrics.ClientMetrics;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.Job;
import io.scrapinghubio.client.JobQuery;
import io.scrapinghubio.client.core.RetryPolicy;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.read.JobRecord;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;

/**
 * Read throughput of {@code ScrapinghubIO.read()} on the Direct runner, beside the client's own
 * loop and a raw OkHttp download loop, and its scaling with the number of ranges read at once.
 *
 * <pre>
 * mvn -q install -DskipTests &amp;&amp; mvn -q -f benchmarks/pom.xml compile exec:java \
 *     -Dexec.mainClass=io.scrapinghubio.benchmarks.ReadBenchmark [-Dexec.args="--items 200000"]
 * </pre>
 *
 * <p>Each emulator ({@code io.scrapinghubio.emulator.EmulatorMain}) runs in its own JVM with
 * {@code --no-gzip} and one job; readers also ask for {@code Accept-Encoding: identity}.
 *
 * <ol>
 *   <li><b>Comparison</b> at latency 0 on a job of {@code --items} items (default 1,000,000, ~1.4 KB
 *       each), in one run: (a) raw OkHttp loop fetching the same pages one after the other and only
 *       splitting lines; (b) the client's {@code job.items().iter()}; (c) the pipeline at each
 *       {@code --compare-parallelism} (default 1,4) with the default prefetch (3 pages).
 *   <li><b>Scaling</b>: for each {@code --latencies} (default 0,20,100 ms added by the emulator to
 *       every request) a fresh emulator with a job of {@code --scaling-items} items (default 200,000),
 *       read by the pipeline at each {@code --parallelism} N (default 1,2,4,8,16) with prefetch 0
 *       (pure range parallelism) and with {@code --prefetch} (default 3): the job is cut into N
 *       ranges and the Direct runner gets {@code targetParallelism = N}. (With more ranges than
 *       threads the Direct runner, which checkpoints every 100 outputs, keeps all ranges going at
 *       once, parked readers still fetching, so the thread count would not bound concurrency.)
 *   <li>Optionally ({@code --gzip-rows true}, the default) a small extra emulator with gzip on: the
 *       client loop and the pipeline asking for gzip, to show its CPU cost on loopback.
 * </ol>
 *
 * <p>Pipeline: {@code ScrapinghubIO.read().withJobs(job)}, pages of {@code --page} (1000) items,
 * initial splits of {@code --chunk} (10,000) items, into a DoFn that only counts; the Direct
 * runner's immutability and encodability checks are off. Results: {@code benchmarks/results/read.md}
 * and {@code benchmarks/results/read-scaling.png}. Other options: {@code --skip-comparison},
 * {@code --skip-scaling}, {@code --out DIR}, {@code --profile} (prints where the runner's and the
 * client's threads spend their time during each pipeline run, from stack samples).
 */
public final class ReadBenchmark {
  static final String KEY = "benchmarkbenchmarkbenchmarkbench";
  static final long PROJECT = 2222222;

  private ReadBenchmark() {}

  /** Parsed {@code --name value} options. */
  static final class Options {
    long items = 1_000_000;
    long scalingItems = 200_000;
    List<Integer> latencies = List.of(0, 20, 100);
    List<Integer> parallelism = List.of(1, 2, 4, 8, 16);
    List<Integer> compareParallelism = List.of(1, 4);
    int prefetch = 3;
    int page = 1000;
    long chunk = 10_000;
    boolean gzipRows = true;
    boolean comparison = true;
    boolean scaling = true;
    boolean profile;
    /** {@code direct} (default) or {@code flink} (embedded MiniCluster, parallelism = N). */
    String runner = "direct";
    Path out = defaultOut();

    static Options parse(String[] args) {
      Options o = new Options();
      Map<String, String> a = new LinkedHashMap<>();
      for (int i = 0; i < args.length; i++) {
        String k = args[i].replaceFirst("^--", "");
        if (k.equals("skip-comparison") || k.equals("skip-scaling") || k.equals("profile")) {
          a.put(k, "true");
        } else if (i + 1 < args.length) {
          a.put(k, args[++i]);
        } else {
          throw new IllegalArgumentException("option " + args[i] + " needs a value");
        }
      }
      for (Map.Entry<String, String> e : a.entrySet()) {
        String v = e.getValue();
        switch (e.getKey()) {
          case "items" -> o.items = Long.parseLong(v);
          case "scaling-items" -> o.scalingItems = Long.parseLong(v);
          case "latencies" -> o.latencies = ints(v);
          case "parallelism" -> o.parallelism = ints(v);
          case "compare-parallelism" -> o.compareParallelism = ints(v);
          case "prefetch" -> o.prefetch = Integer.parseInt(v);
          case "page" -> o.page = Integer.parseInt(v);
          case "chunk" -> o.chunk = Long.parseLong(v);
          case "gzip-rows" -> o.gzipRows = Boolean.parseBoolean(v);
          case "skip-comparison" -> o.comparison = false;
          case "skip-scaling" -> o.scaling = false;
          case "profile" -> o.profile = true;
          case "out" -> o.out = Path.of(v);
          case "runner" -> {
            if (!v.equals("direct") && !v.equals("flink")) {
              throw new IllegalArgumentException("--runner must be direct or flink, but was '" + v + "'");
            }
            o.runner = v;
            runnerName = v;
          }
          default -> throw new IllegalArgumentException("unknown option --" + e.getKey());
        }
      }
      return o;
    }

    private static List<Integer> ints(String csv) {
      List<Integer> l = new ArrayList<>();
      for (String s : csv.split(",")) {
        l.add(Integer.parseInt(s.strip()));
      }
      return List.copyOf(l);
    }

    private static Path defaultOut() {
      return new File("benchmarks").isDirectory() ? Path.of("benchmarks", "results") : Path.of("results");
    }
  }

  /** One measured read. {@code steadySeconds}: first to last record (pipelines only, else = seconds). */
  record Result(String reader, int latencyMs, int parallelism, int prefetch, long records, long bytes,
      double seconds, double steadySeconds, long requests, long retries) {
    double perSecond() {
      return records / seconds;
    }

    double steadyPerSecond() {
      return records / steadySeconds;
    }

    Result renamed(String name) {
      return new Result(name, latencyMs, parallelism, prefetch, records, bytes, seconds, steadySeconds, requests, retries);
    }

    @Override
    public String toString() {
      return String.format("%-34s lat=%3d p=%2d pf=%d: %d records, %.1f MB in %.2f s (%.2f s first→last), %d requests: %.0f items/s",
          reader, latencyMs, parallelism, prefetch, records, bytes / 1e6, seconds, steadySeconds, requests, perSecond());
    }
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    profile = o.profile;
    String cp = BenchSupport.classPath();
    List<Result> comparison = new ArrayList<>();
    List<Result> scaling = new ArrayList<>();
    List<Result> gzip = new ArrayList<>();
    long t0 = System.nanoTime();
    if (o.comparison) {
      try (Emulator emu = Emulator.start(cp, o.items, 0, false)) {
        ClientConfig cfg = emu.config(false);
        // warm-up: JIT, connections, the emulator's caches; a tenth of the job each way
        raw(emu, Math.min(o.items, 100_000), o.page, 0);
        clientLoop(cfg, emu.job, Math.min(o.items, 100_000), 0);
        pipeline(cfg, emu.job, 0, 2, o.prefetch, o.page, o.chunk, emu.count);
        add(comparison, raw(emu, o.items, o.page, 0));
        add(comparison, clientLoop(cfg, emu.job, o.items, 0));
        for (int p : o.compareParallelism) {
          add(comparison, pipeline(cfg, emu.job, 0, p, o.prefetch, o.page, o.chunk, emu.count));
        }
      }
    }
    if (o.scaling) {
      boolean warm = o.comparison;
      for (int latency : o.latencies) {
        try (Emulator emu = Emulator.start(cp, o.scalingItems, latency, false)) {
          ClientConfig cfg = emu.config(false);
          if (!warm) {
            pipeline(cfg, emu.job, latency, 2, o.prefetch, o.page, o.chunk, emu.count);
            warm = true;
          }
          for (int pf : List.of(0, o.prefetch)) {
            for (int p : o.parallelism) {
              // One range per thread: the Direct runner checkpoints every 100 outputs and keeps every
              // range going, so with more ranges than threads all of them would be read at once.
              // Direct: one range per thread (see the report). Flink: 8 chunks per subtask on average,
              // so that the random spreading of chunks over subtasks stays balanced.
              int perSlot = runnerName.equals("flink") ? 8 : 1;
              long chunk = (o.scalingItems + (long) p * perSlot - 1) / ((long) p * perSlot);
              add(scaling, pipeline(cfg, emu.job, latency, p, pf, o.page, chunk, emu.count));
            }
          }
        }
      }
    }
    if (o.gzipRows) {
      long n = Math.min(o.items, o.scalingItems);
      try (Emulator emu = Emulator.start(cp, n, 0, true)) {
        ClientConfig plain = emu.config(false);
        ClientConfig gz = emu.config(true);
        clientLoop(gz, emu.job, n / 5, 0); // warm-up of the gzip paths
        add(gzip, clientLoop(plain, emu.job, n, 0).renamed("client `iter()`, identity"));
        add(gzip, clientLoop(gz, emu.job, n, 0).renamed("client `iter()`, gzip"));
        int p = o.compareParallelism.get(o.compareParallelism.size() - 1);
        add(gzip, pipeline(plain, emu.job, 0, p, o.prefetch, o.page, o.chunk, emu.count).renamed("pipeline, identity"));
        add(gzip, pipeline(gz, emu.job, 0, p, o.prefetch, o.page, o.chunk, emu.count).renamed("pipeline, gzip"));
      }
    }
    double minutes = (System.nanoTime() - t0) / 60e9;
    ReadBenchmarkReport.write(o, comparison, scaling, gzip, minutes);
  }

  private static void add(List<Result> l, Result r) {
    System.out.println(r);
    l.add(r);
  }

  // ---- readers ----

  /** (a) OkHttp fetches the same bounded pages one after the other and only splits lines. */
  static Result raw(Emulator emu, long total, int page, int latency) throws IOException {
    BenchSupport.RawRead r = BenchSupport.rawDownload(emu.storage, KEY, emu.job, total, page, true);
    check("raw loop", r.records(), total);
    return new Result("raw OkHttp loop (split lines)", latency, 1, 0, r.records(), r.bytes(), r.seconds(), r.seconds(),
        (total + page - 1) / page, 0);
  }

  /** (b) The client's own iterator ({@code job.items().iter()}, one page prefetched). */
  static Result clientLoop(ClientConfig config, String jobKey, long total, int latency) {
    try (ScrapinghubClient client = ScrapinghubClient.create(config)) {
      Job job = client.getJob(jobKey);
      long records = 0;
      long t0 = System.nanoTime();
      Iterable<JobRecord> it = job.items().iter(job.items().spec().withCount(total));
      for (JobRecord r : it) {
        records++;
      }
      double s = (System.nanoTime() - t0) / 1e9;
      check("client loop", records, total);
      return new Result("client `job.items().iter()`", latency, 1, 1, records, client.stats().bytes(), s, s,
          client.stats().requests(), client.stats().retries());
    }
  }

  // counting sink of the pipeline (the Direct runner runs it in this JVM)
  static final LongAdder COUNT = new LongAdder();
  static final LongAdder CHARS = new LongAdder();
  static final AtomicLong FIRST = new AtomicLong();
  static final AtomicLong LAST = new AtomicLong();

  /** Counts records and their JSON length; nothing else. */
  static final class CountFn extends DoFn<ScrapinghubRecord, Void> {
    @ProcessElement
    public void process(@Element ScrapinghubRecord r) {
      long now = System.nanoTime();
      FIRST.compareAndSet(0, now);
      LAST.set(now);
      COUNT.increment();
      CHARS.add(r.json().length());
    }
  }

  /** (c) {@code ScrapinghubIO.read()} on the Direct runner with {@code targetParallelism = p}. */
  static Result pipeline(ClientConfig config, String jobKey, int latency, int p, int prefetch, int page, long chunk,
      long total) {
    Pipeline pl;
    if (runnerName.equals("flink")) {
      // Flink batch: every initial split is a task, run by `p` parallel subtasks, no checkpoints.
      org.apache.beam.runners.flink.FlinkPipelineOptions f =
          PipelineOptionsFactory.as(org.apache.beam.runners.flink.FlinkPipelineOptions.class);
      f.setRunner(org.apache.beam.runners.flink.FlinkRunner.class);
      f.setFlinkMaster("[local]");
      f.setFlinkConfDir(io.scrapinghubio.beam.flink.LoopbackFlinkConfig.directory()); // REST API on 127.0.0.1 only
      f.setParallelism(p);
      pl = Pipeline.create(f);
    } else {
      DirectOptions opts = PipelineOptionsFactory.as(DirectOptions.class);
      opts.setRunner(DirectRunner.class);
      opts.setTargetParallelism(p);
      opts.setEnforceImmutability(false);
      opts.setEnforceEncodability(false);
      opts.setBlockOnRun(true);
      pl = Pipeline.create(opts);
    }
    pl.apply("Read", ScrapinghubIO.read().withConnection(ScrapinghubConnection.fromClientConfig(config)).withJobs(jobKey).withPageSize(page)
            .withPrefetchPages(prefetch).withChunkItems(chunk).withChunkBytes(Long.MAX_VALUE))
        .apply("Count", ParDo.of(new CountFn()));
    COUNT.reset();
    CHARS.reset();
    FIRST.set(0);
    LAST.set(0);
    Sampler sampler = profile ? Sampler.start() : null;
    long t0 = System.nanoTime();
    PipelineResult res = pl.run();
    res.waitUntilFinish();
    double s = (System.nanoTime() - t0) / 1e9;
    if (sampler != null) {
      sampler.stopAndPrint("pipeline p=" + p + " prefetch " + prefetch + " latency " + latency);
    }
    long n = COUNT.sum();
    check("pipeline p=" + p, n, total);
    double steady = Math.max(1e-9, (LAST.get() - FIRST.get()) / 1e9);
    long requests = counter(res, "read_requests");
    if (runnerName.equals("direct")) {
      System.out.printf("  readers opened %d, resumed %d%n", counter(res, "read_readers_opened"), counter(res, "read_readers_resumed"));
    }
    return new Result("pipeline `ScrapinghubIO.read()`", latency, p, prefetch, n, CHARS.sum(), s, steady, requests,
        counter(res, "read_retries"));
  }

  static boolean profile;
  static String runnerName = "direct";

  /** {@code --profile}: samples the stacks of the runner's and the client's threads every 10 ms. */
  static final class Sampler implements Runnable {
    private final Map<String, Integer> top = new java.util.HashMap<>();
    private final Map<String, Integer> ours = new java.util.HashMap<>();
    private final Thread thread = new Thread(this, "sampler");
    private volatile boolean running = true;
    private int samples;

    static Sampler start() {
      Sampler s = new Sampler();
      s.thread.setDaemon(true);
      s.thread.start();
      return s;
    }

    @Override
    public void run() {
      while (running) {
        for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
          String name = e.getKey().getName();
          StackTraceElement[] st = e.getValue();
          if (st.length == 0 || !(name.startsWith("direct-runner-worker") || name.startsWith("scrapinghub-io-"))
              || e.getKey().getState() == Thread.State.WAITING || e.getKey().getState() == Thread.State.TIMED_WAITING) {
            continue;
          }
          String group = name.startsWith("direct") ? "runner " : "fetch  ";
          top.merge(group + st[0].getClassName() + "." + st[0].getMethodName(), 1, Integer::sum);
          for (StackTraceElement f : st) {
            if (f.getClassName().startsWith("io.scrapinghubio") || f.getClassName().startsWith("org.apache.beam")) {
              ours.merge(group + f.getClassName() + "." + f.getMethodName() + ":" + f.getLineNumber(), 1, Integer::sum);
              break;
            }
          }
        }
        samples++;
        try {
          Thread.sleep(10);
        } catch (InterruptedException ex) {
          return;
        }
      }
    }

    void stopAndPrint(String what) {
      running = false;
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      System.out.println("profile of " + what + ": " + samples + " samples of RUNNABLE threads");
      print("top frames", top);
      print("innermost Beam/connector frames", ours);
    }

    private static void print(String title, Map<String, Integer> m) {
      System.out.println("  " + title + ":");
      m.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(25)
          .forEach(e -> System.out.printf("    %6d  %s%n", e.getValue(), e.getKey()));
    }
  }

  static long counter(PipelineResult res, String name) {
    long n = 0;
    for (MetricResult<Long> m : res.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named(ClientMetrics.NAMESPACE, name)).build()).getCounters()) {
      n += m.getAttempted();
    }
    return n;
  }

  private static void check(String what, long got, long expected) {
    if (got != expected) {
      throw new IllegalStateException(what + " read " + got + " records, expected " + expected);
    }
  }

  // ---- emulator ----

  /** An emulator JVM with one demo job. */
  static final class Emulator implements AutoCloseable {
    final Process process;
    final String storage;
    final String dash;
    final String job;
    final long count;
    final int latency;
    final boolean gzip;

    private Emulator(Process process, String storage, String dash, String job, long count, int latency, boolean gzip) {
      this.process = process;
      this.storage = storage;
      this.dash = dash;
      this.job = job;
      this.count = count;
      this.latency = latency;
      this.gzip = gzip;
    }

    static Emulator start(String cp, long items, int latencyMs, boolean gzip) throws Exception {
      return start(cp, items, latencyMs, gzip, List.of());
    }

    static Emulator start(String cp, long items, int latencyMs, boolean gzip, List<String> moreOptions) throws Exception {
      EmulatorProcess emu = EmulatorProcess.start(cp, KEY, 1, items, latencyMs, gzip, moreOptions);
      try (ScrapinghubClient client = ScrapinghubClient.create(config(emu.storage, emu.dash, false))) {
        String job = client.getProject(PROJECT).jobs().list(JobQuery.all()).get(0).key().toString();
        long count = client.getJob(job).items().count();
        if (count != items) {
          throw new IllegalStateException("emulator job " + job + " has " + count + " items, expected " + items);
        }
        return new Emulator(emu.process, emu.storage, emu.dash, job, count, latencyMs, gzip);
      } catch (Exception e) {
        emu.close();
        throw e;
      }
    }

    ClientConfig config(boolean gzip) {
      return config(storage, dash, gzip);
    }

    static ClientConfig config(String storage, String dash, boolean gzip) {
      return ClientConfig.builder().apiKey(KEY).storageEndpoint(storage).dashEndpoint(dash).gzip(gzip)
          .retryPolicy(RetryPolicy.defaults()).readTimeout(Duration.ofSeconds(120)).build();
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }


}
