package io.scrapinghubio.emulator.junit;

import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import io.scrapinghubio.emulator.demo.DemoData;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: one emulator on a free port per test class, faults and request log reset
 * before each test.
 *
 * <pre>{@code
 * class MyTest {
 *   @RegisterExtension
 *   static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey("KEY");
 *
 *   @Test void reads(ScrapyCloudEmulator emu) { ... emu.storageUrl() ... }
 * }
 * }</pre>
 *
 * Also usable as {@code @ExtendWith(ScrapyCloudEmulatorExtension.class)} (any key accepted, no
 * demo data), with the emulator injected as a test or lifecycle method parameter.
 */
public final class ScrapyCloudEmulatorExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ScrapyCloudEmulatorExtension.class);

  private final String[] apiKeys;
  private final DemoData demo;
  private final boolean gzip;
  private final CrawlSimulation crawls;
  private final long[] projects;
  private final Network network;
  private ScrapyCloudEmulator emulator;

  /** A distant service's pace: see the builder's methods of the same names. */
  private record Network(long latencyMs, long latencyJitterMs, double bandwidthMbps) {
    static final Network LOCAL = new Network(0, 0, 0);
  }

  /** Any key accepted, no demo data. */
  public ScrapyCloudEmulatorExtension() {
    this(new String[0], null, true, null, new long[0], Network.LOCAL);
  }

  private ScrapyCloudEmulatorExtension(String[] apiKeys, DemoData demo, boolean gzip,
      CrawlSimulation crawls, long[] projects, Network network) {
    this.apiKeys = apiKeys;
    this.demo = demo;
    this.gzip = gzip;
    this.crawls = crawls;
    this.projects = projects;
    this.network = network;
  }

  /**
   * An extension whose emulator accepts only these keys (each with access to every project),
   * without demo data.
   *
   * @param keys the accepted keys
   * @return the extension
   */
  public static ScrapyCloudEmulatorExtension withApiKey(String... keys) {
    return new ScrapyCloudEmulatorExtension(keys, null, true, null, new long[0], Network.LOCAL);
  }

  /**
   * Same settings plus demo data seeded at start.
   *
   * @param d what to seed
   * @return a new extension
   */
  public ScrapyCloudEmulatorExtension demoData(DemoData d) {
    return new ScrapyCloudEmulatorExtension(apiKeys, d, gzip, crawls, projects, network);
  }

  /**
   * Same settings, with storage data answers gzipped or not (see
   * {@link ScrapyCloudEmulator.Builder#gzip}).
   *
   * @param g false to answer uncompressed
   * @return a new extension
   */
  public ScrapyCloudEmulatorExtension gzip(boolean g) {
    return new ScrapyCloudEmulatorExtension(apiKeys, demo, g, crawls, projects, network);
  }

  /**
   * Same settings with crawls that run (see {@link CrawlSimulation}).
   *
   * @param sim the simulation
   * @return a new extension
   */
  public ScrapyCloudEmulatorExtension crawlSimulation(CrawlSimulation sim) {
    return new ScrapyCloudEmulatorExtension(apiKeys, demo, gzip, sim, projects, network);
  }

  /**
   * Same settings with these (empty) projects existing from the start: requests never create a
   * project, as on the real service (see {@link ScrapyCloudEmulator.Builder#projects}).
   *
   * @param ids project ids
   * @return a new extension
   */
  public ScrapyCloudEmulatorExtension projects(long... ids) {
    return new ScrapyCloudEmulatorExtension(apiKeys, demo, gzip, crawls, ids.clone(), network);
  }

  /**
   * Same settings with this latency added to every request (see
   * {@link ScrapyCloudEmulator.Builder#latencyMs}).
   *
   * @param ms milliseconds, 0 or more
   * @return a new extension
   */
  public ScrapyCloudEmulatorExtension latencyMs(long ms) {
    ScrapyCloudEmulator.builder().latencyMs(ms); // the builder's checks, now rather than at beforeAll
    return with(new Network(ms, network.latencyJitterMs(), network.bandwidthMbps()));
  }

  /**
   * Same settings with up to this much random latency more per request (see
   * {@link ScrapyCloudEmulator.Builder#latencyJitterMs}).
   *
   * @param ms milliseconds, 0 or more
   * @return a new extension
   */
  public ScrapyCloudEmulatorExtension latencyJitterMs(long ms) {
    ScrapyCloudEmulator.builder().latencyJitterMs(ms);
    return with(new Network(network.latencyMs(), ms, network.bandwidthMbps()));
  }

  /**
   * Same settings with each response stream limited to this many MB/s (see
   * {@link ScrapyCloudEmulator.Builder#bandwidthMbps}).
   *
   * @param mbps MB/s, 0 or more
   * @return a new extension
   */
  public ScrapyCloudEmulatorExtension bandwidthMbps(double mbps) {
    ScrapyCloudEmulator.builder().bandwidthMbps(mbps);
    return with(new Network(network.latencyMs(), network.latencyJitterMs(), mbps));
  }

  private ScrapyCloudEmulatorExtension with(Network n) {
    return new ScrapyCloudEmulatorExtension(apiKeys, demo, gzip, crawls, projects, n);
  }

  /**
   * The running emulator (between beforeAll and afterAll).
   *
   * @return the emulator
   */
  public ScrapyCloudEmulator emulator() {
    if (emulator == null) {
      throw new IllegalStateException("emulator not started (is the extension registered on a static field?)");
    }
    return emulator;
  }

  @Override
  public void beforeAll(ExtensionContext ctx) {
    ScrapyCloudEmulator.Builder b = ScrapyCloudEmulator.builder().apiKey(apiKeys).gzip(gzip).projects(projects)
        .latencyMs(network.latencyMs()).latencyJitterMs(network.latencyJitterMs()).bandwidthMbps(network.bandwidthMbps());
    if (demo != null) {
      b.demoData(demo);
    }
    if (crawls != null) {
      b.crawlSimulation(crawls);
    }
    emulator = b.start();
    ctx.getStore(NS).put("emulator", emulator);
  }

  @Override
  public void afterAll(ExtensionContext ctx) {
    if (emulator != null) {
      emulator.close();
      emulator = null;
    }
  }

  @Override
  public void beforeEach(ExtensionContext ctx) {
    emulator().resetFaults();
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == ScrapyCloudEmulator.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    return emulator();
  }
}
