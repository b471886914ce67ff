package io.scrapinghubio.examples;

import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.client.core.ApiKey;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.demo.DemoData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an example's data lives: a real Scrapy Cloud project ({@code --endpoint}, {@code --project},
 * the key in {@code SH_APIKEY} or in the file named by {@code --apikey-file}), or by default an
 * embedded emulator seeded with demo data.
 *
 * <p>The key itself is never an argument: a command line shows in {@code ps} and in shell history,
 * and Beam options end up in logs and job UIs. Each worker reads the variable or the file itself,
 * so the key is not in the job graph either.
 */
final class ExampleEnvironment implements AutoCloseable {
  private final ClientConfig clientConfig;
  private final long project;
  private final ScrapyCloudEmulator emulator;
  private final String[] beamArgs;

  private ExampleEnvironment(ClientConfig clientConfig, long project, ScrapyCloudEmulator emulator, String[] beamArgs) {
    this.clientConfig = clientConfig;
    this.project = project;
    this.emulator = emulator;
    this.beamArgs = beamArgs;
  }

  /**
   * Reads {@code --endpoint=}, {@code --dash-endpoint=}, {@code --apikey-file=}, {@code --project=},
   * {@code --demo-jobs=}, {@code --demo-items-per-job=} (camelCase accepted too: see {@link ExampleArgs});
   * every other argument is left for Beam, in Beam's camelCase. {@code --apikey=} is refused
   * (without repeating its value).
   */
  static ExampleEnvironment fromArgs(String[] args) {
    String endpoint = null;
    String dash = null;
    String keyFile = null;
    long project = 0;
    int demoJobs = 20;
    int demoItems = 2000;
    List<ExampleArgs.Arg> rest = new ArrayList<>();
    for (ExampleArgs.Arg a : ExampleArgs.parse(args)) {
      if (isKeyOnTheCommandLine(a)) {
        throw keyOnTheCommandLine();
      } else if (a.is("endpoint")) {
        endpoint = required(a);
      } else if (a.is("dashEndpoint")) {
        dash = required(a);
      } else if (a.is("apikeyFile")) {
        keyFile = required(a);
      } else if (a.is("project")) {
        project = parsePositive(a);
      } else if (a.is("demoJobs")) {
        demoJobs = (int) parsePositive(a);
      } else if (a.is("demoItemsPerJob")) {
        demoItems = (int) parsePositive(a);
      } else {
        rest.add(a);
      }
    }
    if (endpoint == null && dash != null) {
      throw dashWithoutStorage(dash);
    }
    if (endpoint == null) {
      String demoKey = "0123456789abcdef0123456789abcdef";
      // The demo data is seeded in the project asked for: the emulator refuses a project that does not exist.
      DemoData demo = DemoData.of(demoJobs, demoItems).withProject(project == 0 ? DemoData.DEFAULT_PROJECT : project);
      ScrapyCloudEmulator emulator = ScrapyCloudEmulator.builder().apiKey(demoKey).demoData(demo).start();
      System.out.printf("Started an embedded Scrapy Cloud emulator at %s with %d jobs x %d items (project %d)%n",
          emulator.storageUrl(), demoJobs, demoItems, demo.project());
      ClientConfig cfg = ClientConfig.builder().apiKey(demoKey)
          .storageEndpoint(emulator.storageUrl()).dashEndpoint(emulator.dashUrl()).build();
      return new ExampleEnvironment(cfg, demo.project(), emulator, ExampleArgs.forBeam(rest));
    }
    if (project == 0) {
      throw new IllegalArgumentException("--project=<id> is required with --endpoint");
    }
    ClientConfig.Builder cfg = ClientConfig.builder().storageEndpoint(endpoint)
        // A relative path means the user's working directory here, not the worker's.
        .apiKey(keyFile == null ? ApiKey.fromEnvironment() : ApiKey.fromFile(Path.of(keyFile).toAbsolutePath().toString()));
    if (dash != null) {
      cfg.dashEndpoint(dash);
    }
    return new ExampleEnvironment(cfg.build(), project, null, ExampleArgs.forBeam(rest));
  }

  /**
   * Like {@link #fromArgs}, but the default embedded emulator runs the crawls that are scheduled
   * (spider {@code books}: one item per page, {@code items} and {@code run_ms} spider arguments) instead
   * of serving demo data.
   */
  static ExampleEnvironment forCrawls(String[] args) {
    return forCrawls(args, CrawlSimulation.builder().pendingTime(java.time.Duration.ofMillis(100))
        .runningTime(java.time.Duration.ofSeconds(1)).itemsPerJob(25).unitsCapacity(2)
        .spider("books", CrawlSimulation.Spider.defaults()).build());
  }

  /** Like {@link #forCrawls(String[])}, with the embedded emulator running crawls as {@code sim} says. */
  static ExampleEnvironment forCrawls(String[] args, CrawlSimulation sim) {
    List<ExampleArgs.Arg> parsed = ExampleArgs.parse(args);
    if (parsed.stream().anyMatch(a -> a.is("endpoint"))) {
      return fromArgs(args);
    }
    long project = 1_111_111;
    List<ExampleArgs.Arg> rest = new ArrayList<>();
    for (ExampleArgs.Arg a : parsed) {
      if (isKeyOnTheCommandLine(a)) {
        throw keyOnTheCommandLine();
      } else if (a.is("project")) {
        project = parsePositive(a);
      } else if (a.is("dashEndpoint")) {
        throw dashWithoutStorage(a.value());
      } else if (!a.is("apikeyFile")) { // the embedded emulator takes its own key
        rest.add(a);
      }
    }
    String demoKey = "0123456789abcdef0123456789abcdef";
    ScrapyCloudEmulator emulator = ScrapyCloudEmulator.builder().apiKey(demoKey)
        .crawlSimulation(sim)
        .projects(project) // requests never create a project
        .start();
    // Deployed from the start, as a real project's spiders are: the emulator would deploy them with the
    // first crawl, and a follow's first listing, before that, fails on a spider the project does not have.
    for (String spider : sim.spiders().keySet()) {
      emulator.state().addSpider(project, spider);
    }
    System.out.printf("Started an embedded Scrapy Cloud emulator at %s running the crawls it is given (project %d)%n",
        emulator.storageUrl(), project);
    ClientConfig cfg = ClientConfig.builder().apiKey(demoKey)
        .storageEndpoint(emulator.storageUrl()).dashEndpoint(emulator.dashUrl()).build();
    return new ExampleEnvironment(cfg, project, emulator, ExampleArgs.forBeam(rest));
  }

  /** {@code --apikey}, {@code --apikey=...}, also as {@code --api-key} or {@code --apiKey}. */
  private static boolean isKeyOnTheCommandLine(ExampleArgs.Arg arg) {
    return arg.name() != null && arg.name().equalsIgnoreCase("apikey");
  }

  /** Names the option, never its value. */
  private static IllegalArgumentException keyOnTheCommandLine() {
    return new IllegalArgumentException("--apikey is not accepted: a key on the command line shows in ps and "
        + "shell history. Put it in a file and pass --apikey-file=PATH, or set SH_APIKEY");
  }

  /** A dash API alone would be paired with the embedded emulator's storage: never what was meant. */
  private static IllegalArgumentException dashWithoutStorage(String dash) {
    return new IllegalArgumentException("--dash-endpoint=" + dash + " without --endpoint: give both (the storage and "
        + "the dash API of one service), or neither to run on the embedded emulator");
  }

  private static String required(ExampleArgs.Arg arg) {
    if (arg.value() == null || arg.value().isBlank()) {
      throw new IllegalArgumentException("bad option '" + arg.typed() + "': expected " + arg.typed().split("=")[0] + "=VALUE");
    }
    return arg.value();
  }

  private static long parsePositive(ExampleArgs.Arg arg) {
    try {
      long v = Long.parseLong(required(arg));
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // fall through to the error below
    }
    throw new IllegalArgumentException("bad value in '" + arg.typed() + "': expected a positive integer");
  }

  /** Whether the data is an embedded emulator's (not a real project's). */
  boolean embedded() {
    return emulator != null;
  }

  ClientConfig clientConfig() {
    return clientConfig;
  }

  /** The same settings as the transforms take them. */
  ScrapinghubConnection connection() {
    return ScrapinghubConnection.fromClientConfig(clientConfig);
  }

  long project() {
    return project;
  }

  /** The arguments left for Beam, every option in Beam's camelCase. */
  String[] beamArgs() {
    return beamArgs.clone();
  }

  ScrapyCloudEmulator emulator() {
    return emulator;
  }

  @Override
  public void close() {
    if (emulator != null) {
      emulator.close();
    }
  }
}
