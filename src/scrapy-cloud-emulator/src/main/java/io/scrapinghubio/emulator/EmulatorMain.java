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

  /** The options, from {@link EmulatorSetting}: one line each, the default last. */
  static final String USAGE = usage();

  private static String usage() {
    StringBuilder u = new StringBuilder("Usage: EmulatorMain [options]");
    for (EmulatorSetting s : EmulatorSetting.values()) {
      String head = s.option() + (s.isSwitch() ? "" : " " + s.valueLabel());
      u.append("\n  ").append(String.format(java.util.Locale.ROOT, "%-24s", head)).append(' ').append(s.help());
      if (s.isRepeatable()) {
        u.append(" (repeatable)");
      } else if (s.defaultValue() != null && !s.isSwitch()) {
        u.append(" (default ").append(s.defaultValue()).append(')');
      }
    }
    return u.append("\n  --help                   this text").toString();
  }

  /** A setting's default as a number: the table's text is the one place defaults are written. */
  private static long defaultOf(EmulatorSetting s) {
    return Long.parseLong(s.defaultValue());
  }

  /** Parsed command line; unset options keep {@link EmulatorSetting}'s defaults. */
  static final class Options {
    int port = (int) defaultOf(EmulatorSetting.PORT);
    String host = EmulatorSetting.HOST.defaultValue();
    final java.util.List<String> keys = new java.util.ArrayList<>();
    int demoJobs = (int) defaultOf(EmulatorSetting.DEMO_JOBS);
    int itemsPerJob = (int) defaultOf(EmulatorSetting.DEMO_ITEMS_PER_JOB);
    long demoProject = defaultOf(EmulatorSetting.DEMO_PROJECT);
    final java.util.List<Long> projects = new java.util.ArrayList<>();
    final java.util.List<String[]> spiders = new java.util.ArrayList<>();
    long seed = defaultOf(EmulatorSetting.SEED);
    long latencyMs = defaultOf(EmulatorSetting.LATENCY_MS);
    long latencyJitterMs = defaultOf(EmulatorSetting.LATENCY_JITTER_MS);
    double bandwidthMbps = Double.parseDouble(EmulatorSetting.BANDWIDTH_MBPS.defaultValue());
    double faultRate = Double.parseDouble(EmulatorSetting.FAULT_RATE.defaultValue());
    long faultSeed = defaultOf(EmulatorSetting.FAULT_SEED);
    /** Set by any {@code --crawl-*} option: jobs scheduled through run.json run. */
    io.scrapinghubio.emulator.crawl.CrawlSimulation.Builder crawls;
    boolean gzip = Boolean.parseBoolean(EmulatorSetting.GZIP.defaultValue());
    boolean help;
  }

  /** Parses arguments; throws IllegalArgumentException naming the bad option. */
  static Options parse(String[] args) {
    Options o = new Options();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h")) {
        o.help = true;
        continue;
      }
      EmulatorSetting setting = EmulatorSetting.ofOption(a);
      if (setting == null) {
        throw new IllegalArgumentException("unknown option: " + a);
      }
      apply(o, setting, setting.isSwitch() ? null : value(args, ++i, a));
    }
    return o;
  }

  /** Sets one setting; {@code v} is null for a switch. */
  private static void apply(Options o, EmulatorSetting setting, String v) {
    String a = setting.option();
    switch (setting) {
      case GZIP -> o.gzip = false;
      case PORT -> o.port = (int) number(a, v, 0, 65535);
      case HOST -> o.host = v;
      case APIKEY -> o.keys.add(v);
      case APIKEY_FILE -> o.keys.addAll(keysIn(v));
      case DEMO_JOBS -> o.demoJobs = (int) number(a, v, 0, 1_000_000);
      case DEMO_ITEMS_PER_JOB -> o.itemsPerJob = (int) number(a, v, 0, 100_000_000);
      case DEMO_PROJECT -> o.demoProject = number(a, v, 1, Long.MAX_VALUE);
      case PROJECT -> o.projects.add(number(a, v, 1, Long.MAX_VALUE));
      case SPIDER -> {
        int slash = v.indexOf('/');
        if (slash <= 0 || slash == v.length() - 1 || v.indexOf('/', slash + 1) >= 0) {
          throw new IllegalArgumentException("option --spider: expected PROJECT_ID/SPIDER_NAME, but was '" + v + "'");
        }
        number(a, v.substring(0, slash), 1, Long.MAX_VALUE);
        o.spiders.add(new String[] {v.substring(0, slash), v.substring(slash + 1)});
      }
      case CRAWL_SPIDER -> crawls(o).spider(v, io.scrapinghubio.emulator.crawl.CrawlSimulation.Spider.defaults());
      case CRAWL_PENDING_MS -> crawls(o).pendingTime(java.time.Duration.ofMillis(number(a, v, 0, 86_400_000)));
      case CRAWL_RUNNING_MS -> crawls(o).runningTime(java.time.Duration.ofMillis(number(a, v, 0, 86_400_000)));
      case CRAWL_ITEMS_PER_JOB -> crawls(o).itemsPerJob((int) number(a, v, 0, 100_000_000));
      case CRAWL_ITEMS_PER_SECOND -> crawls(o).itemsPerSecond(rate(a, v));
      case CRAWL_ITEMS_PER_PAGE -> crawls(o).itemsPerPage((int) number(a, v, 1, 1_000_000));
      case CRAWL_STATS_INTERVAL_MS -> crawls(o).statsInterval(java.time.Duration.ofMillis(number(a, v, 1, 86_400_000)));
      case CRAWL_UNITS -> crawls(o).unitsCapacity((int) number(a, v, 1, 1_000_000));
      case CRAWL_TICK_MS -> crawls(o).tick(java.time.Duration.ofMillis(number(a, v, 1, 60_000)));
      case SEED -> o.seed = number(a, v, Long.MIN_VALUE, Long.MAX_VALUE);
      case LATENCY_MS -> o.latencyMs = number(a, v, 0, 600_000);
      case LATENCY_JITTER_MS -> o.latencyJitterMs = number(a, v, 0, 600_000);
      case BANDWIDTH_MBPS -> o.bandwidthMbps = megabytesPerSecond(a, v);
      case FAULT_RATE -> o.faultRate = share(a, v);
      case FAULT_SEED -> o.faultSeed = number(a, v, Long.MIN_VALUE, Long.MAX_VALUE);
      default -> throw new AssertionError("a setting EmulatorMain does not read: " + setting);
    }
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

  /** The emulator the options describe (fault rate aside: it is set on the running emulator). */
  private static ScrapyCloudEmulator.Builder builder(Options o) {
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
    return b;
  }

  /**
   * Starts an emulator configured by {@link EmulatorSetting} options, as this command line does (for
   * tools that declare the same options, such as the command-line tool's {@code emulator}).
   *
   * @param options options such as {@code --port 0 --demo-jobs 3}: each option then its value
   * @return the running emulator, serving; close it when done
   * @throws IllegalArgumentException for an unknown option or a bad value, naming the option
   * @throws java.io.UncheckedIOException when the port cannot be bound
   */
  public static ScrapyCloudEmulator start(java.util.List<String> options) {
    Options o = parse(options.toArray(new String[0]));
    ScrapyCloudEmulator emu = builder(o).start();
    emu.faults().mixed(o.faultRate);
    return emu;
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
    ScrapyCloudEmulator.Builder b = builder(o);
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
