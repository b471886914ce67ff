package io.scrapinghubio.emulator;

import io.scrapinghubio.emulator.demo.DemoData;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;

/**
 * Standalone emulator:
 *
 * <pre>
 * java -cp scrapinghub-io.jar:... io.scrapinghubio.emulator.EmulatorMain --port 8080 --apikey KEY \
 *     --demo-jobs 20 --demo-items-per-job 10000 [--latency-ms 20] [--latency-jitter-ms 10] \
 *     [--bandwidth-mbps 12.5] [--no-gzip]
 * </pre>
 *
 * {@code --apikey} is meant for test keys: a command line shows in {@code ps}. To make the emulator
 * accept a key that must stay private (a copy of a real one, so that a production configuration
 * runs unchanged against it), name a file holding it with {@code --apikey-file}.
 *
 * Seeds the demo data, then opens the port (so the first connection already sees all of it),
 * prints what it serves and, last, one line that it is ready ({@link EmulatorReadyLine}:
 * {@code Scrapy Cloud emulator ready on URL (storage API) and URL (dash API)}), and serves until
 * killed.
 */
public final class EmulatorMain {
  private EmulatorMain() {}

  static final String USAGE = String.join("\n",
      "Usage: EmulatorMain [options]",
      "  --port N                 TCP port (default 8080; 0 = any free port)",
      "  --host ADDR              bind address (default 127.0.0.1)",
      "  --apikey KEY             accepted API key (repeatable; default: accept any key); shows in ps: test keys only",
      "  --apikey-file PATH       accepted API keys, one per line (repeatable; for keys that must not show in ps)",
      "  --demo-jobs N            seed N finished demo jobs (default 0 = no demo data)",
      "  --demo-items-per-job N   items per demo job (default 1000)",
      "  --demo-project ID        project of the demo jobs (default " + DemoData.DEFAULT_PROJECT + ")",
      "  --project ID             an empty project that exists from the start (repeatable); requests",
      "                           to any other project are refused, as the real service refuses them",
      "  --spider ID/NAME         a spider deployed in project ID (repeatable; the project exists too);",
      "                           run.json schedules deployed spiders only",
      "  --crawl-spider NAME      a spider whose jobs crawl (repeatable): deployed in every project; with",
      "                           any --crawl-* option, jobs scheduled through run.json run on their own:",
      "                           pending -> running (writing items page by page) -> finished",
      "  --crawl-pending-ms N     least time a job stays pending (default 50)",
      "  --crawl-running-ms N     how long a job runs (default 500; spider argument run_ms per job)",
      "  --crawl-items-per-job N  items a job scrapes (default 10; spider argument items per job)",
      "  --crawl-items-per-second R  pace of a job: it runs items/R seconds (decimal; replaces",
      "                           --crawl-running-ms; spider argument items_per_second per job)",
      "  --crawl-items-per-page N items per crawled page, stored together (default 1; spider argument",
      "                           items_per_page); spider argument fail_after=N fails a job after N items",
      "  --crawl-stats-interval-ms N  how often a running job refreshes its scrapystats and summary",
      "                           counts (default 30000, the platform's)",
      "  --crawl-units N          units that may run at once per project (default 6)",
      "  --crawl-tick-ms N        how often crawls advance in the background (default 10)",
      "  --seed N                 demo data seed (default 1)",
      "  --latency-ms N           latency added to every request (default 0)",
      "  --latency-jitter-ms N    up to N ms more per request, uniform random, repeatable for a given",
      "                           --fault-seed (default 0)",
      "  --bandwidth-mbps X       bandwidth in MB/s per response stream (1 MB = 1,000,000 bytes, counted",
      "                           after gzip; fractions allowed, e.g. 0.5; default 0 = unlimited);",
      "                           concurrent responses each get X, as separate connections do",
      "  --fault-rate SHARE       fail this share (0..1) of requests: 429, 500, 503, dropped connections and",
      "                           cut bodies in equal parts (default 0); to test a client's retries",
      "  --fault-seed N           seed of the fault draws (default 42)",
      "  --no-gzip                never gzip responses",
      "  --help                   this text");

  /** Parsed command line. */
  static final class Options {
    int port = 8080;
    String host = "127.0.0.1";
    final java.util.List<String> keys = new java.util.ArrayList<>();
    int demoJobs;
    int itemsPerJob = 1000;
    long demoProject = DemoData.DEFAULT_PROJECT;
    final java.util.List<Long> projects = new java.util.ArrayList<>();
    final java.util.List<String[]> spiders = new java.util.ArrayList<>();
    long seed = 1;
    long latencyMs;
    long latencyJitterMs;
    double bandwidthMbps;
    double faultRate;
    long faultSeed = 42;
    /** Set by any {@code --crawl-*} option: jobs scheduled through run.json run. */
    io.scrapinghubio.emulator.crawl.CrawlSimulation.Builder crawls;
    boolean gzip = true;
    boolean help;
  }

  /** Parses arguments; throws IllegalArgumentException naming the bad option. */
  static Options parse(String[] args) {
    Options o = new Options();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--help":
        case "-h":
          o.help = true;
          break;
        case "--no-gzip":
          o.gzip = false;
          break;
        case "--port":
          o.port = (int) number(a, value(args, ++i, a), 0, 65535);
          break;
        case "--host":
          o.host = value(args, ++i, a);
          break;
        case "--apikey":
          o.keys.add(value(args, ++i, a));
          break;
        case "--apikey-file":
          o.keys.addAll(keysIn(value(args, ++i, a)));
          break;
        case "--demo-jobs":
          o.demoJobs = (int) number(a, value(args, ++i, a), 0, 1_000_000);
          break;
        case "--demo-items-per-job":
          o.itemsPerJob = (int) number(a, value(args, ++i, a), 0, 100_000_000);
          break;
        case "--demo-project":
          o.demoProject = number(a, value(args, ++i, a), 1, Long.MAX_VALUE);
          break;
        case "--project":
          o.projects.add(number(a, value(args, ++i, a), 1, Long.MAX_VALUE));
          break;
        case "--spider": {
          String v = value(args, ++i, a);
          int slash = v.indexOf('/');
          if (slash <= 0 || slash == v.length() - 1 || v.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("option --spider: expected PROJECT_ID/SPIDER_NAME, but was '" + v + "'");
          }
          number(a, v.substring(0, slash), 1, Long.MAX_VALUE);
          o.spiders.add(new String[] {v.substring(0, slash), v.substring(slash + 1)});
          break;
        }
        case "--crawl-spider":
          crawls(o).spider(value(args, ++i, a), io.scrapinghubio.emulator.crawl.CrawlSimulation.Spider.defaults());
          break;
        case "--crawl-pending-ms":
          crawls(o).pendingTime(java.time.Duration.ofMillis(number(a, value(args, ++i, a), 0, 86_400_000)));
          break;
        case "--crawl-running-ms":
          crawls(o).runningTime(java.time.Duration.ofMillis(number(a, value(args, ++i, a), 0, 86_400_000)));
          break;
        case "--crawl-items-per-job":
          crawls(o).itemsPerJob((int) number(a, value(args, ++i, a), 0, 100_000_000));
          break;
        case "--crawl-items-per-second":
          crawls(o).itemsPerSecond(rate(a, value(args, ++i, a)));
          break;
        case "--crawl-items-per-page":
          crawls(o).itemsPerPage((int) number(a, value(args, ++i, a), 1, 1_000_000));
          break;
        case "--crawl-stats-interval-ms":
          crawls(o).statsInterval(java.time.Duration.ofMillis(number(a, value(args, ++i, a), 1, 86_400_000)));
          break;
        case "--crawl-units":
          crawls(o).unitsCapacity((int) number(a, value(args, ++i, a), 1, 1_000_000));
          break;
        case "--crawl-tick-ms":
          crawls(o).tick(java.time.Duration.ofMillis(number(a, value(args, ++i, a), 1, 60_000)));
          break;
        case "--seed":
          o.seed = number(a, value(args, ++i, a), Long.MIN_VALUE, Long.MAX_VALUE);
          break;
        case "--latency-ms":
          o.latencyMs = number(a, value(args, ++i, a), 0, 600_000);
          break;
        case "--latency-jitter-ms":
          o.latencyJitterMs = number(a, value(args, ++i, a), 0, 600_000);
          break;
        case "--bandwidth-mbps":
          o.bandwidthMbps = megabytesPerSecond(a, value(args, ++i, a));
          break;
        case "--fault-rate":
          o.faultRate = share(a, value(args, ++i, a));
          break;
        case "--fault-seed":
          o.faultSeed = number(a, value(args, ++i, a), Long.MIN_VALUE, Long.MAX_VALUE);
          break;
        default:
          throw new IllegalArgumentException("unknown option: " + a);
      }
    }
    return o;
  }

  private static io.scrapinghubio.emulator.crawl.CrawlSimulation.Builder crawls(Options o) {
    if (o.crawls == null) {
      o.crawls = io.scrapinghubio.emulator.crawl.CrawlSimulation.builder();
    }
    return o.crawls;
  }

  private static double rate(String option, String v) {
    try {
      double d = Double.parseDouble(v);
      if (!(d > 0) || !Double.isFinite(d)) {
        throw new IllegalArgumentException("option " + option + ": expected a number of items per second > 0, but was " + v);
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("option " + option + ": not a number: " + v);
    }
  }

  private static double megabytesPerSecond(String option, String v) {
    double d;
    try {
      d = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("option " + option + ": not a number of MB/s: " + v);
    }
    if (!(d >= 0) || Double.isInfinite(d)) {
      throw new IllegalArgumentException("option " + option + ": expected MB/s per response stream >= 0 (0 = unlimited), but was " + v);
    }
    return d;
  }

  /** The non-blank lines of a key file, stripped; errors name the file, never what it holds. */
  private static java.util.List<String> keysIn(String path) {
    java.util.List<String> keys = new java.util.ArrayList<>();
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(path))) {
        if (!line.isBlank()) {
          keys.add(line.strip());
        }
      }
    } catch (java.io.IOException | java.io.UncheckedIOException | java.nio.file.InvalidPathException e) {
      throw new IllegalArgumentException("option --apikey-file: cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("option --apikey-file: " + path + " holds no key");
    }
    return keys;
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException("option " + option + " needs a value");
    }
    return args[i];
  }

  private static long number(String option, String v, long min, long max) {
    try {
      long n = Long.parseLong(v);
      if (n < min || n > max) {
        throw new IllegalArgumentException("option " + option + ": " + v + " is out of range " + min + ".." + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("option " + option + ": not a number: " + v);
    }
  }

  private static double share(String option, String v) {
    try {
      double d = Double.parseDouble(v);
      if (!(d >= 0 && d <= 1)) {
        throw new IllegalArgumentException("option " + option + ": " + v + " is out of range 0..1");
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("option " + option + ": not a number between 0 and 1: " + v);
    }
  }

  /** E.g. "latency 20 ms + 0..10 ms jitter (seed 42), 1.5 MB/s per response stream". */
  static String network(Options o) {
    String latency = "latency " + o.latencyMs + " ms"
        + (o.latencyJitterMs > 0 ? " + 0.." + o.latencyJitterMs + " ms jitter (seed " + o.faultSeed + ")" : "");
    String bandwidth = o.bandwidthMbps > 0
        ? java.math.BigDecimal.valueOf(o.bandwidthMbps).stripTrailingZeros().toPlainString() + " MB/s per response stream"
        : "unlimited bandwidth";
    return latency + ", " + bandwidth;
  }

  /**
   * Runs the emulator from the command line until the process is killed; {@code --help} lists the
   * options.
   *
   * @param args the options
   * @throws InterruptedException never in practice: the process serves until it is killed
   */
  public static void main(String[] args) throws InterruptedException {
    // Serves until the process is killed (the stop signal never comes); the port closes with it.
    System.exit(run(args, System.out, System.err, new CountDownLatch(1)));
  }

  /**
   * Runs the emulator until {@code stop} opens (at once if it is open already), then closes it.
   * Returns the exit code.
   */
  static int run(String[] args, PrintStream out, PrintStream err, CountDownLatch stop) throws InterruptedException {
    Options o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    if (o.help) {
      out.println(USAGE);
      return 0;
    }
    ScrapyCloudEmulator.Builder b = ScrapyCloudEmulator.builder().host(o.host).port(o.port).gzip(o.gzip)
        .latencyMs(o.latencyMs).latencyJitterMs(o.latencyJitterMs).bandwidthMbps(o.bandwidthMbps).faultSeed(o.faultSeed).apiKey(o.keys.toArray(new String[0]))
        .projects(o.projects.stream().mapToLong(Long::longValue).toArray());
    for (String[] s : o.spiders) {
      b.spiders(Long.parseLong(s[0]), s[1]);
    }
    if (o.crawls != null) {
      b.crawlSimulation(o.crawls.build());
    }
    if (o.demoJobs > 0) {
      b.demoData(DemoData.defaults().withSeed(o.seed).withProject(o.demoProject).withJobs(o.demoJobs)
          .withItemsPerJob(o.itemsPerJob));
    }
    long t0 = System.nanoTime();
    ScrapyCloudEmulator emu;
    try {
      emu = b.start(); // seeds, then binds: serving from here on
    } catch (java.io.UncheckedIOException e) {
      // A port in use or an address this machine does not have: one line, the option to change.
      err.println("error: cannot listen on " + o.host + ":" + o.port + " (" + e.getCause().getMessage()
          + "): choose another --port (0 picks a free one) or a --host address of this machine");
      return 1;
    }
    try {
      emu.faults().mixed(o.faultRate);
      // Earlier tools (the benchmarks) read the endpoints from these two lines.
      out.println("storage endpoint: " + emu.storageUrl());
      out.println("dash endpoint:    " + emu.dashUrl());
      if (o.demoJobs > 0) {
        out.printf("demo data: project %d, %d jobs x %d items (seeded in %d ms)%n", o.demoProject, o.demoJobs,
            o.itemsPerJob, (System.nanoTime() - t0) / 1_000_000);
      }
      java.util.List<Long> existing = new java.util.ArrayList<>();
      emu.state().projects().forEach(p -> existing.add(p.id()));
      out.println(existing.isEmpty()
          ? "projects: none (add --project ID or --demo-jobs N; requests to other projects are refused)"
          : "projects: " + existing.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", ")));
      if (o.faultRate > 0) {
        out.printf(java.util.Locale.ROOT, "faults: %.1f%% of requests fail (429, 500, 503, dropped connection, cut body; seed %d)%n",
            o.faultRate * 100, o.faultSeed);
      }
      if (o.latencyMs > 0 || o.latencyJitterMs > 0 || o.bandwidthMbps > 0) {
        out.println("network: " + network(o));
      }
      if (o.crawls != null) {
        out.println("crawls: " + emu.state().crawlSimulation());
      }
      out.println(o.keys.isEmpty() ? "auth: any API key accepted" : "auth: " + o.keys.size() + " API key(s) accepted");
      // Last, so that whoever waits for it has everything else already.
      out.println(EmulatorReadyLine.of(emu).text());
      out.flush();
      stop.await();
    } finally {
      emu.close();
    }
    return 0;
  }
}
