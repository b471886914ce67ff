package io.scrapinghubio.emulator;

import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import io.scrapinghubio.emulator.demo.DemoData;
import io.scrapinghubio.emulator.demo.DemoDataSeeder;
import io.scrapinghubio.emulator.fault.FaultPlan;
import io.scrapinghubio.emulator.http.EmulatorHttpServer;
import io.scrapinghubio.emulator.http.Network;
import io.scrapinghubio.emulator.log.RequestLog;
import io.scrapinghubio.emulator.log.ServerStats;
import io.scrapinghubio.emulator.store.EmulatorState;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A local Scrapy Cloud: a real HTTP server speaking the wire protocol of the storage host
 * (items, logs, requests, samples, JobQ, job metadata, collections, frontiers, activity, settings)
 * and of the dash/app API ({@code /api/...}), both on one port.
 *
 * <pre>{@code
 * try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey("KEY").demoData(DemoData.defaults()).start()) {
 *   String storage = emu.storageUrl(); // http://127.0.0.1:PORT/
 *   String dash = emu.dashUrl();       // http://127.0.0.1:PORT/api/
 *   emu.faults().failNext(2, 503);
 * }
 * }</pre>
 */
public final class ScrapyCloudEmulator implements AutoCloseable {
  private final EmulatorState state = new EmulatorState();
  private final FaultPlan faults;
  private final RequestLog requestLog;
  private final ServerStats stats = new ServerStats();
  private final EmulatorHttpServer server;
  private final String host;
  private int port;
  private List<String> demoJobs = List.of();
  private final List<Long> projects;
  private final Map<Long, List<String>> spiders;
  private java.util.concurrent.ScheduledExecutorService ticker;

  private ScrapyCloudEmulator(Builder b) {
    this.host = b.host;
    this.faults = new FaultPlan(b.faultSeed);
    this.requestLog = new RequestLog(b.requestLogCapacity);
    this.server = new EmulatorHttpServer(state, faults, requestLog, stats, b.apiKeys, b.gzip,
        new Network(b.latencyMs, b.latencyJitterMs, b.bandwidthMbps, b.faultSeed));
    this.port = b.port;
    this.projects = List.copyOf(b.projects);
    this.spiders = Map.copyOf(b.spiders);
    if (b.crawls != null) {
      state.crawlSimulation(b.crawls);
    }
  }

  /**
   * A builder of an emulator: port, keys, projects, demo data, network pace, crawls.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts an emulator on a free port, accepting any API key, without demo data.
   *
   * @return the running emulator; close it when done
   */
  public static ScrapyCloudEmulator startDefault() {
    return builder().start();
  }

  private ScrapyCloudEmulator startServer(DemoData demo) {
    // Seed before binding: the port opens only once the data is all there, so a client that
    // connects as soon as it can (a container's health check, a test polling the port) never
    // sees half-seeded jobs.
    for (long p : projects) {
      state.project(p);
    }
    spiders.forEach((p, names) -> names.forEach(n -> state.addSpider(p, n)));
    if (demo != null) {
      demoJobs = DemoDataSeeder.seed(state, demo);
    }
    port = server.bind(host, port);
    // A port the system picks is known only now; demo jobs recorded a placeholder dash URL.
    state.apiUrl(dashUrl());
    server.start();
    CrawlSimulation sim = state.crawlSimulation();
    if (sim != null) {
      startTicker(sim);
    }
    return this;
  }

  private synchronized void startTicker(CrawlSimulation sim) {
    if (ticker != null) {
      return;
    }
    ticker = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "scrapy-cloud-emulator-crawls-" + port);
      t.setDaemon(true);
      return t;
    });
    long every = Math.max(1, sim.tick().toMillis());
    ticker.scheduleWithFixedDelay(() -> {
      try {
        state.advanceCrawls();
      } catch (RuntimeException e) {
        // keep ticking; the next request will surface a persistent problem
      }
    }, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /**
   * Turns crawl simulation on (or changes it) while running: jobs scheduled from now on run, and
   * a background tick advances them. See {@link CrawlSimulation}.
   *
   * @param sim the simulation
   * @return this emulator
   */
  public ScrapyCloudEmulator crawlSimulation(CrawlSimulation sim) {
    state.crawlSimulation(java.util.Objects.requireNonNull(sim, "sim"));
    startTicker(sim);
    return this;
  }

  /** Advances simulated crawls to the emulator's clock now (they also advance on every request and every tick). */
  public void advanceCrawls() {
    state.advanceCrawls();
  }

  /**
   * Storage API base URL, e.g. {@code http://127.0.0.1:PORT/}.
   *
   * @return the URL, ending in {@code /}
   */
  public String storageUrl() {
    return "http://" + host + ":" + port + "/";
  }

  /**
   * Dash/app API base URL (trailing slash included), e.g. {@code http://127.0.0.1:PORT/api/}.
   *
   * @return the URL
   */
  public String dashUrl() {
    return storageUrl() + "api/";
  }

  /**
   * The TCP port the emulator listens on.
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * The fault plan; change it at any time.
   *
   * @return the plan
   */
  public FaultPlan faults() {
    return faults;
  }

  /**
   * The in-memory store, for test setup and assertions without HTTP.
   *
   * @return the state
   */
  public EmulatorState state() {
    return state;
  }

  /**
   * Recent requests (without Authorization headers).
   *
   * @return the log
   */
  public RequestLog requestLog() {
    return requestLog;
  }

  /**
   * Counters of what the emulator served: requests and body bytes.
   *
   * @return the counters
   */
  public ServerStats stats() {
    return stats;
  }

  /**
   * Keys of the demo jobs seeded at start, oldest first (empty without demo data).
   *
   * @return the job keys
   */
  public List<String> demoJobs() {
    return demoJobs;
  }

  /**
   * Seeds (more) demo data now; returns the new job keys.
   *
   * @param demo what to seed
   * @return the job keys, oldest first
   */
  public List<String> seed(DemoData demo) {
    return DemoDataSeeder.seed(state, demo);
  }

  /** Clears the fault plan (rules and injected-fault counts) and the request log; state and stats are kept. */
  public void resetFaults() {
    faults.reset();
    requestLog.clear();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (ticker != null) {
        ticker.shutdownNow();
        ticker = null;
      }
    }
    server.stop();
  }

  /** Emulator settings. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    /** Accepted keys and the projects each may see (empty: every project). */
    private final Map<String, Set<Long>> apiKeys = new LinkedHashMap<>();
    private final Set<Long> projects = new LinkedHashSet<>();
    private final Map<Long, List<String>> spiders = new LinkedHashMap<>();
    private DemoData demo;
    private boolean gzip = true;
    private long latencyMs;
    private long latencyJitterMs;
    private double bandwidthMbps;
    private long faultSeed = 42;
    private int requestLogCapacity = 10_000;
    private CrawlSimulation crawls;

    /**
     * Makes jobs scheduled through {@code run.json} run: pending, running, finished, writing
     * their items on the way (see {@link CrawlSimulation}).
     *
     * @param sim the simulation
     * @return this builder
     */
    public Builder crawlSimulation(CrawlSimulation sim) {
      this.crawls = java.util.Objects.requireNonNull(sim, "sim");
      return this;
    }

    /**
     * TCP port; 0 (default) picks a free one.
     *
     * @param port the port, or 0
     * @return this builder
     */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /**
     * Bind address (default 127.0.0.1).
     *
     * @param host an address of this machine
     * @return this builder
     */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /**
     * Accepted API key(s), each with access to every project; any other key gets the hosts' 401
     * answers. Without keys every request is accepted.
     *
     * @param keys the keys
     * @return this builder
     */
    public Builder apiKey(String... keys) {
      for (String k : keys) {
        apiKeys.put(k, Set.of());
      }
      return this;
    }

    /**
     * An accepted API key that sees only {@code projectIds} (a user who belongs to some
     * organisations only): any other project answers as one that does not exist, and
     * {@code listprojects} lists only these. The projects still have to exist ({@link #projects}).
     *
     * @param key the key
     * @param projectIds the projects it sees
     * @return this builder
     */
    public Builder apiKeyWithAccessTo(String key, long... projectIds) {
      if (projectIds.length == 0) {
        throw new IllegalArgumentException("a key restricted to projects needs at least one project id");
      }
      Set<Long> ids = new LinkedHashSet<>();
      for (long p : projectIds) {
        ids.add(p);
      }
      apiKeys.put(key, ids);
      return this;
    }

    /**
     * Projects that exist from the start, empty. As on the real service, requests never create a
     * project: other ids are refused as a key without access is (storage 401, dash 403). The demo
     * data's project exists too, and tests can add projects with {@code state().project(id)}.
     *
     * @param ids project ids
     * @return this builder
     */
    public Builder projects(long... ids) {
      for (long p : ids) {
        if (p <= 0) {
          throw new IllegalArgumentException("project ids are positive, but was " + p);
        }
        projects.add(p);
      }
      return this;
    }

    /**
     * Seeds demo data at start.
     *
     * @param demo what to seed
     * @return this builder
     */
    public Builder demoData(DemoData demo) {
      this.demo = demo;
      return this;
    }

    /**
     * Whether storage data responses are gzipped for clients that accept it (default true).
     *
     * @param gzip false to answer uncompressed
     * @return this builder
     */
    public Builder gzip(boolean gzip) {
      this.gzip = gzip;
      return this;
    }

    /**
     * Latency added to every request, in ms (default 0).
     *
     * @param ms milliseconds, 0 or more
     * @return this builder
     */
    public Builder latencyMs(long ms) {
      if (ms < 0) {
        throw new IllegalArgumentException("latencyMs must be >= 0, but was " + ms);
      }
      this.latencyMs = ms;
      return this;
    }

    /**
     * Up to this much more latency per request, in ms (default 0): each request waits
     * {@link #latencyMs} plus a uniform draw in [0, ms], repeatable for a given {@link #faultSeed}.
     *
     * @param ms milliseconds, 0 or more
     * @return this builder
     */
    public Builder latencyJitterMs(long ms) {
      if (ms < 0) {
        throw new IllegalArgumentException("latencyJitterMs must be >= 0 (0 = no jitter), but was " + ms);
      }
      this.latencyJitterMs = ms;
      return this;
    }

    /**
     * Bandwidth of each response stream, in MB/s (1 MB = 1,000,000 bytes; fractions allowed;
     * default 0 = unlimited). It counts body bytes as sent, after gzip; concurrent responses each
     * get the full rate, as separate connections over a long path do.
     *
     * @param mbps MB/s, 0 or more
     * @return this builder
     */
    public Builder bandwidthMbps(double mbps) {
      if (!(mbps >= 0) || Double.isInfinite(mbps)) {
        throw new IllegalArgumentException("bandwidthMbps must be a finite number of MB/s >= 0 (0 = unlimited), but was " + mbps);
      }
      this.bandwidthMbps = mbps;
      return this;
    }

    /**
     * Seed of the fault plan's random source and of the latency jitter (default 42).
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder faultSeed(long seed) {
      this.faultSeed = seed;
      return this;
    }

    /**
     * How many recent requests {@link #requestLog()} keeps (default 10,000).
     *
     * @param n how many requests
     * @return this builder
     */
    public Builder requestLogCapacity(int n) {
      this.requestLogCapacity = n;
      return this;
    }

    /**
     * Seeds demo data if asked, then binds and starts serving: once this returns (and not
     * before) the port accepts connections, and they see all the demo data.
     */
    /**
     * Spiders deployed in {@code project} from the start (the project exists too): {@code run.json}
     * schedules only deployed spiders, as a real project after a deploy.
     *
     * @param project the project id
     * @param names spider names
     * @return this builder
     */
    public Builder spiders(long project, String... names) {
      projects(project);
      List<String> list = new java.util.ArrayList<>(spiders.getOrDefault(project, List.of()));
      for (String n : names) {
        if (n == null || n.isBlank() || n.contains("/")) {
          throw new IllegalArgumentException("spider names are non-empty without '/', but was '" + n + "'");
        }
        list.add(n);
      }
      spiders.put(project, List.copyOf(list));
      return this;
    }

    /**
     * Seeds the demo data, then binds the port and serves: the first connection already sees all
     * the data.
     *
     * @return the running emulator; close it when done
     */
    public ScrapyCloudEmulator start() {
      return new ScrapyCloudEmulator(this).startServer(demo);
    }
  }
}
