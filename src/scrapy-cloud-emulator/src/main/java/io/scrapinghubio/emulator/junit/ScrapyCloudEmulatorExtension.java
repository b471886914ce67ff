package io.scrapinghubio.emulator.junit;

import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import io.scrapinghubio.emulator.demo.DemoData;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
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

  /** The settings, in the order given: each a step on the emulator's builder, applied at beforeAll. */
  private final List<UnaryOperator<ScrapyCloudEmulator.Builder>> settings;
  private ScrapyCloudEmulator emulator;

  /** Any key accepted, no demo data. */
  public ScrapyCloudEmulatorExtension() {
    this(List.of());
  }

  private ScrapyCloudEmulatorExtension(List<UnaryOperator<ScrapyCloudEmulator.Builder>> settings) {
    this.settings = settings;
  }

  /** These settings and one more, checked now (by a builder of its own) rather than at beforeAll. */
  private ScrapyCloudEmulatorExtension and(UnaryOperator<ScrapyCloudEmulator.Builder> setting) {
    setting.apply(ScrapyCloudEmulator.builder());
    List<UnaryOperator<ScrapyCloudEmulator.Builder>> more = new ArrayList<>(settings);
    more.add(setting);
    return new ScrapyCloudEmulatorExtension(List.copyOf(more));
  }

  /**
   * An extension whose emulator accepts only these keys (each with access to every project),
   * without demo data.
   *
   * @param keys the accepted keys
   * @return the extension
   */
  public static ScrapyCloudEmulatorExtension withApiKey(String... keys) {
    String[] copy = keys.clone();
    return new ScrapyCloudEmulatorExtension().and(b -> b.apiKey(copy));
  }

  /**
   * Same settings plus demo data seeded at start: its jobs, items per job, project and seed.
   *
   * @param d what to seed
   * @return a new extension
   */
  public ScrapyCloudEmulatorExtension demoData(DemoData d) {
    return and(b -> b.demoData(d));
  }

  /**
   * Same settings, with storage data answers gzipped or not (see
   * {@link ScrapyCloudEmulator.Builder#gzip}).
   *
   * @param g false to answer uncompressed
   * @return a new extension
   */
  public ScrapyCloudEmulatorExtension gzip(boolean g) {
    return and(b -> b.gzip(g));
  }

  /**
   * Same settings with crawls that run (see {@link CrawlSimulation}).
   *
   * @param sim the simulation
   * @return a new extension
   */
  public ScrapyCloudEmulatorExtension crawlSimulation(CrawlSimulation sim) {
    return and(b -> b.crawlSimulation(sim));
  }

  /**
   * Same settings with these (empty) projects existing from the start: requests never create a
   * project, as on the real service (see {@link ScrapyCloudEmulator.Builder#projects}). Calls add up.
   *
   * @param ids project ids
   * @return a new extension
   */
  public ScrapyCloudEmulatorExtension projects(long... ids) {
    long[] copy = ids.clone();
    return and(b -> b.projects(copy));
  }

  /**
   * Same settings with these spiders deployed in {@code project} (see
   * {@link ScrapyCloudEmulator.Builder#spiders}).
   *
   * @param project the project id
   * @param names spider names
   * @return a new extension
   */
  public ScrapyCloudEmulatorExtension spiders(long project, String... names) {
    String[] copy = names.clone();
    return and(b -> b.spiders(project, copy));
  }

  /**
   * Same settings with this latency added to every request (see
   * {@link ScrapyCloudEmulator.Builder#latencyMs}).
   *
   * @param ms milliseconds, 0 or more
   * @return a new extension
   */
  public ScrapyCloudEmulatorExtension latencyMs(long ms) {
    return and(b -> b.latencyMs(ms));
  }

  /**
   * Same settings with up to this much random latency more per request (see
   * {@link ScrapyCloudEmulator.Builder#latencyJitterMs}).
   *
   * @param ms milliseconds, 0 or more
   * @return a new extension
   */
  public ScrapyCloudEmulatorExtension latencyJitterMs(long ms) {
    return and(b -> b.latencyJitterMs(ms));
  }

  /**
   * Same settings with each response stream limited to this many MB/s (see
   * {@link ScrapyCloudEmulator.Builder#bandwidthMbps}).
   *
   * @param mbps MB/s, 0 or more
   * @return a new extension
   */
  public ScrapyCloudEmulatorExtension bandwidthMbps(double mbps) {
    return and(b -> b.bandwidthMbps(mbps));
  }

  /**
   * Same settings with this seed of the fault draws and the latency jitter (see
   * {@link ScrapyCloudEmulator.Builder#faultSeed}).
   *
   * @param seed any number
   * @return a new extension
   */
  public ScrapyCloudEmulatorExtension faultSeed(long seed) {
    return and(b -> b.faultSeed(seed));
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
    ScrapyCloudEmulator.Builder b = ScrapyCloudEmulator.builder();
    settings.forEach(setting -> setting.apply(b));
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
