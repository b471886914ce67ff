package io.scrapinghubio.emulator.testcontainers;

import com.github.dockerjava.api.command.InspectContainerResponse;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.emulator.EmulatorSetting;
import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import io.scrapinghubio.emulator.demo.DemoData;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * The Scrapy Cloud emulator in a container, for integration tests, in the manner of
 * Testcontainers' {@code KafkaContainer} or {@code PostgreSQLContainer}:
 *
 * <pre>{@code
 * @Testcontainers
 * class MyPipelineTest {
 *   @Container
 *   static final ScrapyCloudEmulatorContainer SCRAPY_CLOUD =
 *       new ScrapyCloudEmulatorContainer("scrapinghubio/scrapy-cloud-emulator:0.1.0")
 *           .withDemoData(3, 1000);                       // 3 finished jobs x 1000 items, project getDemoProject()
 *
 *   @Test void readsItems() {
 *     try (ScrapinghubClient client = ScrapinghubClient.create(SCRAPY_CLOUD.clientConfig())) { ... }
 *     // or, in a Beam pipeline: ScrapinghubIO.read().withConnection(SCRAPY_CLOUD.scrapinghubConnection())
 *   }
 * }
 * }</pre>
 *
 * The image is built from {@code src/scrapy-cloud-emulator/docker/Dockerfile}. The container is
 * started when the emulator has printed its ready line ({@link #READY_LINE}), i.e. when it serves
 * every request with all its demo data: no port polling. Settings go to the container as the
 * image's {@code EMULATOR_*} environment variables, named by {@link EmulatorSetting}: each of its
 * settings has a {@code withX} method here (the port and address: {@link #withHostNetwork()}).
 *
 * <p><b>Networking.</b> By default the emulator listens on {@link #EMULATOR_PORT} inside the
 * container and Testcontainers publishes it on a free host port. {@link #withHostNetwork()} runs it
 * in the host's network instead, bound to 127.0.0.1 on a port it chooses itself (read back from its
 * ready line): for Docker engines without a bridge network, such as CI machines with no registry.
 */
public class ScrapyCloudEmulatorContainer extends GenericContainer<ScrapyCloudEmulatorContainer> {

  /** The image's name; any tag of it (or an image declared compatible with it) is accepted. */
  public static final DockerImageName DEFAULT_IMAGE_NAME = DockerImageName.parse("scrapinghubio/scrapy-cloud-emulator");

  /** Port the emulator listens on inside the container (bridge networking). */
  public static final int EMULATOR_PORT = 8080;

  /** The API key the emulator accepts and {@link #clientConfig()} sends, unless {@link #withApiKey} says otherwise. */
  public static final String DEFAULT_API_KEY = "0123456789abcdef0123456789abcdef";

  /**
   * The line the emulator prints once it serves every request with all its data; group 1 is its
   * storage API URL. The only place this container knows the emulator's output format.
   */
  // TODO(merge with the emulator's ready line): EmulatorReadyLine.PREFIX + "(\\S+) \\(storage API\\)".
  static final Pattern READY_LINE = Pattern.compile(Pattern.quote(io.scrapinghubio.emulator.EmulatorReadyLine.PREFIX) + "(\\S+) \\(storage API\\)");

  /** Time allowed for the JVM to start and seed its demo data (about 1 s per 100,000 demo items here). */
  private static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofMinutes(2);

  private String apiKey = DEFAULT_API_KEY;
  private long demoProject = DemoData.DEFAULT_PROJECT;
  private boolean hostNetwork;
  /** Deployed spiders as {@code PROJECT/NAME}, in the order given: the image's variable holds them all. */
  private final java.util.List<String> spiders = new java.util.ArrayList<>();
  private String storageUrl;

  /**
   * A container of the given image.
   *
   * @param image the image's name and tag, e.g. {@code "scrapinghubio/scrapy-cloud-emulator:0.1.0"}
   */
  public ScrapyCloudEmulatorContainer(String image) {
    this(DockerImageName.parse(image));
  }

  /**
   * A container of the given image.
   *
   * @param image {@link #DEFAULT_IMAGE_NAME} with a tag, or an image declared compatible with it
   *     ({@code asCompatibleSubstituteFor}); any other is refused
   */
  public ScrapyCloudEmulatorContainer(DockerImageName image) {
    super(image);
    image.assertCompatibleWith(DEFAULT_IMAGE_NAME);
    withEnv(EmulatorSetting.APIKEY.variable(), apiKey);
    withExposedPorts(EMULATOR_PORT);
    waitingFor(Wait.forLogMessage(".*" + READY_LINE.pattern() + ".*", 1).withStartupTimeout(DEFAULT_STARTUP_TIMEOUT));
  }

  /**
   * The one API key the emulator accepts (any other gets 401) and {@link #clientConfig()} uses.
   *
   * @param key a non-blank key without commas (the image's variable holds a comma-separated list)
   * @return this container
   */
  public ScrapyCloudEmulatorContainer withApiKey(String key) {
    if (key == null || key.isBlank() || key.contains(",")) {
      throw new IllegalArgumentException("apiKey must be a non-blank key without commas");
    }
    this.apiKey = key;
    return withEnv(EmulatorSetting.APIKEY.variable(), key);
  }

  /**
   * Seeds {@code jobs} finished jobs of {@code itemsPerJob} items each (about 1.4 KB per item,
   * spiders {@code products}, {@code reviews}...) in project {@link #getDemoProject()}.
   *
   * @param jobs how many finished jobs, at least 0
   * @param itemsPerJob how many items each job holds, at least 0
   * @return this container
   */
  public ScrapyCloudEmulatorContainer withDemoData(int jobs, int itemsPerJob) {
    if (jobs < 0 || itemsPerJob < 0) {
      throw new IllegalArgumentException("jobs and itemsPerJob must be >= 0, got " + jobs + " and " + itemsPerJob);
    }
    withEnv(EmulatorSetting.DEMO_JOBS.variable(), Integer.toString(jobs));
    return withEnv(EmulatorSetting.DEMO_ITEMS_PER_JOB.variable(), Integer.toString(itemsPerJob));
  }

  /**
   * The project the demo jobs belong to (default {@value DemoData#DEFAULT_PROJECT}).
   *
   * @param project a project id, greater than 0
   * @return this container
   */
  public ScrapyCloudEmulatorContainer withDemoProject(long project) {
    if (project <= 0) {
      throw new IllegalArgumentException("project must be > 0, got " + project);
    }
    this.demoProject = project;
    return withEnv(EmulatorSetting.DEMO_PROJECT.variable(), Long.toString(project));
  }

  /**
   * Empty projects that exist from the start (requests to any other project are refused, as on the
   * real service): where {@link #withCrawlSimulation} jobs run.
   *
   * @param projects project ids, each greater than 0
   * @return this container
   */
  public ScrapyCloudEmulatorContainer withProjects(long... projects) {
    StringBuilder ids = new StringBuilder();
    for (long p : projects) {
      if (p <= 0) {
        throw new IllegalArgumentException("project ids must be > 0, got " + p);
      }
      ids.append(ids.length() == 0 ? "" : ",").append(p);
    }
    return withEnv(EmulatorSetting.PROJECT.variable(), ids.toString());
  }

  /**
   * Crawls that run (see {@link CrawlSimulation}): jobs scheduled through {@code run.json} go
   * pending, running (writing items page by page at the simulation's pace), finished. Passed as the
   * image's {@code EMULATOR_CRAWL_*} variables, so a declared spider can carry only the defaults;
   * per-job behaviour goes in spider arguments ({@code items}, {@code items_per_second},
   * {@code fail_after}...).
   *
   * @param sim the simulation's pace and declared spiders (with default behaviour only)
   * @return this container
   * @throws IllegalArgumentException for a declared spider with its own behaviour, or a spider name
   *     with a comma, which the variables cannot carry
   */
  public ScrapyCloudEmulatorContainer withCrawlSimulation(CrawlSimulation sim) {
    StringBuilder names = new StringBuilder();
    sim.spiders().forEach((name, spider) -> {
      if (spider.items() >= 0 || spider.runningTime() != null || !"finished".equals(spider.closeReason())
          || spider.failureAfterItems() >= 0) {
        throw new IllegalArgumentException("spider '" + name + "' has its own behaviour, which the container's variables cannot "
            + "carry; declare it with CrawlSimulation.Spider.defaults() and set the behaviour per job in spider arguments");
      }
      if (name.contains(",")) {
        throw new IllegalArgumentException("spider name '" + name + "' has a comma, which EMULATOR_CRAWL_SPIDER cannot carry");
      }
      names.append(names.length() == 0 ? "" : ",").append(name);
    });
    if (names.length() > 0) {
      withEnv(EmulatorSetting.CRAWL_SPIDER.variable(), names.toString());
    }
    withEnv(EmulatorSetting.CRAWL_PENDING_MS.variable(), Long.toString(sim.pendingTime().toMillis()));
    withEnv(EmulatorSetting.CRAWL_RUNNING_MS.variable(), Long.toString(sim.runningTime().toMillis()));
    withEnv(EmulatorSetting.CRAWL_ITEMS_PER_JOB.variable(), Integer.toString(sim.itemsPerJob()));
    if (sim.itemsPerSecond() > 0) {
      withEnv(EmulatorSetting.CRAWL_ITEMS_PER_SECOND.variable(), Double.toString(sim.itemsPerSecond()));
    }
    withEnv(EmulatorSetting.CRAWL_ITEMS_PER_PAGE.variable(), Integer.toString(sim.itemsPerPage()));
    withEnv(EmulatorSetting.CRAWL_STATS_INTERVAL_MS.variable(), Long.toString(sim.statsInterval().toMillis()));
    withEnv(EmulatorSetting.CRAWL_UNITS.variable(), Integer.toString(sim.unitsCapacity()));
    return withEnv(EmulatorSetting.CRAWL_TICK_MS.variable(), Long.toString(sim.tick().toMillis()));
  }

  /**
   * Latency added to every response, like a remote service's (whole milliseconds).
   *
   * @param latency zero or more
   * @return this container
   */
  public ScrapyCloudEmulatorContainer withLatency(Duration latency) {
    if (latency == null || latency.isNegative()) {
      throw new IllegalArgumentException("latency must be zero or positive, got " + latency);
    }
    return withEnv(EmulatorSetting.LATENCY_MS.variable(), Long.toString(latency.toMillis()));
  }

  /**
   * Up to this much more latency per response, drawn uniformly per request (whole milliseconds);
   * the draws repeat from run to run.
   *
   * @param jitter the most added to {@link #withLatency}'s latency, zero or more
   * @return this container
   */
  public ScrapyCloudEmulatorContainer withLatencyJitter(Duration jitter) {
    if (jitter == null || jitter.isNegative()) {
      throw new IllegalArgumentException("latency jitter must be zero or positive, got " + jitter);
    }
    return withEnv(EmulatorSetting.LATENCY_JITTER_MS.variable(), Long.toString(jitter.toMillis()));
  }

  /**
   * Bandwidth of each response stream in MB/s (1 MB = 1,000,000 bytes, counted after gzip;
   * fractions allowed; 0 = unlimited), like a remote service's: concurrent responses each get it.
   *
   * @param megabytesPerSecond a finite rate, 0 or more
   * @return this container
   */
  public ScrapyCloudEmulatorContainer withBandwidthMbps(double megabytesPerSecond) {
    if (!(megabytesPerSecond >= 0) || Double.isInfinite(megabytesPerSecond)) {
      throw new IllegalArgumentException("bandwidth must be a finite number of MB/s >= 0 (0 = unlimited), got "
          + megabytesPerSecond);
    }
    return withEnv(EmulatorSetting.BANDWIDTH_MBPS.variable(), Double.toString(megabytesPerSecond));
  }

  /**
   * Spiders deployed in {@code project} from the start (the project exists too): {@code run.json}
   * schedules only deployed spiders, as a real project after a deploy. Calls add up.
   *
   * @param project a project id, greater than 0
   * @param names spider names, non-blank, without {@code /} or commas
   * @return this container
   */
  public ScrapyCloudEmulatorContainer withSpiders(long project, String... names) {
    if (project <= 0) {
      throw new IllegalArgumentException("project must be > 0, got " + project);
    }
    for (String name : names) {
      if (name == null || name.isBlank() || name.contains("/") || name.contains(",")) {
        throw new IllegalArgumentException("spider names are non-blank, without '/' or ',', but was '" + name + "'");
      }
      spiders.add(project + "/" + name);
    }
    return withEnv(EmulatorSetting.SPIDER.variable(), String.join(",", spiders));
  }

  /**
   * Seed of the demo data: the same seed serves the same items (default
   * {@code 1}).
   *
   * @param seed any number
   * @return this container
   */
  public ScrapyCloudEmulatorContainer withSeed(long seed) {
    return withEnv(EmulatorSetting.SEED.variable(), Long.toString(seed));
  }

  /**
   * Fails this share of requests (429, 500, 503, dropped connections and cut bodies in equal
   * parts), to test a client's retries.
   *
   * @param share from 0 (default: none) to 1 (every request)
   * @return this container
   */
  public ScrapyCloudEmulatorContainer withFaultRate(double share) {
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException("fault rate must be between 0 and 1, got " + share);
    }
    return withEnv(EmulatorSetting.FAULT_RATE.variable(), Double.toString(share));
  }

  /**
   * Seed of the fault draws and of the latency jitter (default {@code 42}): the same seed fails the
   * same requests.
   *
   * @param seed any number
   * @return this container
   */
  public ScrapyCloudEmulatorContainer withFaultSeed(long seed) {
    return withEnv(EmulatorSetting.FAULT_SEED.variable(), Long.toString(seed));
  }

  /**
   * Whether the emulator gzips responses when asked to (default true; false is faster on loopback).
   *
   * @param gzip false to always answer uncompressed
   * @return this container
   */
  public ScrapyCloudEmulatorContainer withGzip(boolean gzip) {
    return withEnv(EmulatorSetting.GZIP.variable(), Boolean.toString(gzip));
  }

  /**
   * Runs in the host's network, bound to 127.0.0.1 on a free port the emulator picks (no port is
   * published, and no bridge network is needed). Linux engines only.
   *
   * @return this container
   */
  public ScrapyCloudEmulatorContainer withHostNetwork() {
    this.hostNetwork = true;
    setExposedPorts(java.util.List.of());
    withNetworkMode("host");
    withEnv(EmulatorSetting.HOST.variable(), "127.0.0.1");
    return withEnv(EmulatorSetting.PORT.variable(), "0");
  }

  @Override
  protected void containerIsStarted(InspectContainerResponse info) {
    if (hostNetwork) {
      // The emulator chose its port: the wait strategy has seen the ready line, so the logs hold it.
      Matcher m = READY_LINE.matcher(getLogs(OutputFrame.OutputType.STDOUT));
      if (!m.find()) {
        throw new IllegalStateException("the emulator's ready line is not in its output: " + getLogs());
      }
      storageUrl = m.group(1).endsWith("/") ? m.group(1) : m.group(1) + "/";
    } else {
      storageUrl = "http://" + getHost() + ":" + getMappedPort(EMULATOR_PORT) + "/";
    }
  }

  /**
   * Storage API base URL (items, logs, collections, frontiers...).
   *
   * @return e.g. {@code http://localhost:32768/}, ending in {@code /}
   * @throws IllegalStateException before the container has started
   */
  public String getStorageUrl() {
    if (storageUrl == null) {
      throw new IllegalStateException("the container is not started: start() it (or let @Container do it) first");
    }
    return storageUrl;
  }

  /**
   * App (dash) API base URL: jobs, run.json, projects.
   *
   * @return {@link #getStorageUrl()} followed by {@code api/}
   */
  public String getDashUrl() {
    return getStorageUrl() + "api/";
  }

  /**
   * The key the emulator accepts.
   *
   * @return {@link #DEFAULT_API_KEY} unless {@link #withApiKey} changed it
   */
  public String getApiKey() {
    return apiKey;
  }

  /**
   * The project of the demo jobs.
   *
   * @return the project id that {@link #withDemoData} seeds
   */
  public long getDemoProject() {
    return demoProject;
  }

  /**
   * A client configuration for this emulator: both endpoints and the key; change the rest with
   * {@code toBuilder()}.
   *
   * @return a configuration for {@code ScrapinghubClient.create}
   */
  public ClientConfig clientConfig() {
    return ClientConfig.builder().apiKey(apiKey).storageEndpoint(getStorageUrl()).dashEndpoint(getDashUrl()).build();
  }

  /**
   * The same settings as the Beam transforms take them ({@code ScrapinghubIO.read().withConnection(...)}).
   * Needs {@code io.scrapinghubio:scrapinghub-io} on the class path (an optional dependency here).
   *
   * @return a connection to this emulator for the transforms' {@code withConnection}
   */
  public ScrapinghubConnection scrapinghubConnection() {
    return ScrapinghubConnection.fromClientConfig(clientConfig());
  }
}
