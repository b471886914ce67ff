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
  private ScrapyCloudEmulator emulator;

  /** Any key accepted, no demo data. */
  public ScrapyCloudEmulatorExtension() {
    this(new String[0], null, true, null, new long[0]);
  }

  private ScrapyCloudEmulatorExtension(String[] apiKeys, DemoData demo, boolean gzip,
      CrawlSimulation crawls, long[] projects) {
    this.apiKeys = apiKeys;
    this.demo = demo;
    this.gzip = gzip;
    this.crawls = crawls;
    this.projects = projects;
  }

  public static ScrapyCloudEmulatorExtension withApiKey(String... keys) {
    return new ScrapyCloudEmulatorExtension(keys, null, true, null, new long[0]);
  }

  /** Same settings plus demo data seeded at start. */
  public ScrapyCloudEmulatorExtension demoData(DemoData d) {
    return new ScrapyCloudEmulatorExtension(apiKeys, d, gzip, crawls, projects);
  }

  public ScrapyCloudEmulatorExtension gzip(boolean g) {
    return new ScrapyCloudEmulatorExtension(apiKeys, demo, g, crawls, projects);
  }

  /** Same settings with crawls that run (see {@link CrawlSimulation}). */
  public ScrapyCloudEmulatorExtension crawlSimulation(CrawlSimulation sim) {
    return new ScrapyCloudEmulatorExtension(apiKeys, demo, gzip, sim, projects);
  }

  /**
   * Same settings with these (empty) projects existing from the start: requests never create a
   * project, as on the real service (see {@link ScrapyCloudEmulator.Builder#projects}).
   */
  public ScrapyCloudEmulatorExtension projects(long... ids) {
    return new ScrapyCloudEmulatorExtension(apiKeys, demo, gzip, crawls, ids.clone());
  }

  /** The running emulator (between beforeAll and afterAll). */
  public ScrapyCloudEmulator emulator() {
    if (emulator == null) {
      throw new IllegalStateException("emulator not started (is the extension registered on a static field?)");
    }
    return emulator;
  }

  @Override
  public void beforeAll(ExtensionContext ctx) {
    ScrapyCloudEmulator.Builder b = ScrapyCloudEmulator.builder().apiKey(apiKeys).gzip(gzip).projects(projects);
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
