package io.scrapinghubio.cli.emulator;

import io.scrapinghubio.cli.console.CliContext;
import io.scrapinghubio.cli.console.Counted;
import io.scrapinghubio.cli.options.DurationConverter;
import io.scrapinghubio.cli.options.PositiveIntConverter;
import io.scrapinghubio.cli.options.PositiveLongConverter;
import io.scrapinghubio.cli.options.VerboseOption;
import io.scrapinghubio.emulator.EmulatorReadyLine;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import io.scrapinghubio.emulator.demo.DemoData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code emulator}: the Scrapy Cloud emulator on its own, for trying the other commands, a
 * python-scrapinghub script or {@code shub} against it. Serves until Ctrl-C (or {@code --stop-after}).
 */
@Command(name = "emulator", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Start a local Scrapy Cloud emulator (storage and dash APIs on one port) with demo data, and "
        + "serve until Ctrl-C. Jobs scheduled on it really run (items appear while they run)."},
    footer = {"", "Then, in another terminal:",
        "  SH_APIKEY=anykey scrapinghub-io export --endpoint=http://127.0.0.1:8080/ --project=2222222 --output=items",
        "  SH_APIKEY=anykey scrapinghub-io schedule --endpoint=http://127.0.0.1:8080/ \\",
        "      --dash-endpoint=http://127.0.0.1:8080/api/ --project=2222222 --spider=books --output=books"})
public final class EmulatorCommand implements Callable<Integer> {
  private final CliContext context;

  @Spec
  CommandSpec spec;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", converter = PositiveIntConverter.AtLeastZero.class,
      description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE})")
  String host;

  @Option(names = "--apikey-file", paramLabel = "FILE",
      description = "Accept only the API keys in this file, one per line (default: accept any key)")
  Path apikeyFile;

  @Option(names = "--demo-project", paramLabel = "ID", defaultValue = "" + DemoData.DEFAULT_PROJECT,
      converter = PositiveLongConverter.ProjectId.class, description = "Project of the demo jobs (default: ${DEFAULT-VALUE})")
  long demoProject;

  @Option(names = "--demo-jobs", paramLabel = "N", defaultValue = "20", converter = PositiveIntConverter.AtLeastZero.class,
      description = "Finished demo jobs to seed; 0 for none (default: ${DEFAULT-VALUE})")
  int demoJobs;

  @Option(names = "--demo-items-per-job", paramLabel = "N", defaultValue = "1000",
      converter = PositiveIntConverter.AtLeastOne.class,
      description = "Items per demo job, about 1.4 KB each (default: ${DEFAULT-VALUE})")
  int demoItemsPerJob;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
      description = "Seed of the demo data: the same seed serves the same items (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--spider", split = ",", paramLabel = "NAME", defaultValue = "books",
      description = "Spiders deployed for scheduling; jobs of other spiders are refused, as on a real project "
          + "(default: ${DEFAULT-VALUE})")
  List<String> spiders;

  @Option(names = "--crawl-items", paramLabel = "N", defaultValue = "100", converter = PositiveIntConverter.AtLeastZero.class,
      description = "Items each scheduled job scrapes, unless its spider argument items=N says otherwise "
          + "(default: ${DEFAULT-VALUE})")
  int crawlItems;

  @Option(names = "--crawl-time", paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.class,
      description = "How long each scheduled job runs, unless its spider argument run_ms=N says otherwise "
          + "(default: ${DEFAULT-VALUE})")
  Duration crawlTime;

  @Option(names = "--latency-ms", paramLabel = "MS", defaultValue = "0", converter = PositiveIntConverter.AtLeastZero.class,
      description = "Latency added to every request, to try a remote service's pace (default: ${DEFAULT-VALUE})")
  int latencyMs;

  @Option(names = "--latency-jitter-ms", paramLabel = "MS", defaultValue = "0", converter = PositiveIntConverter.AtLeastZero.class,
      description = "Up to this much more latency per request, uniform random; the same draws on every run "
          + "(default: ${DEFAULT-VALUE})")
  int latencyJitterMs;

  @Option(names = "--bandwidth-mbps", paramLabel = "MB/S", defaultValue = "0", converter = MegabytesPerSecond.class,
      description = "Bandwidth in MB/s per response stream (1 MB = 1,000,000 bytes, counted after gzip; fractions "
          + "allowed); concurrent responses each get it; 0 = unlimited (default: ${DEFAULT-VALUE})")
  double bandwidthMbps;

  @Option(names = "--no-gzip", description = "Never gzip responses (default: gzip when the client accepts it)")
  boolean noGzip;

  @Option(names = "--stop-after", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Stop after this long, e.g. 10m (default: serve until Ctrl-C)")
  Duration stopAfter;

  @Mixin
  VerboseOption verbose;

  EmulatorCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws InterruptedException {
    ScrapyCloudEmulator.Builder b = ScrapyCloudEmulator.builder().host(host).port(port).gzip(!noGzip)
        .latencyMs(latencyMs).latencyJitterMs(latencyJitterMs).bandwidthMbps(bandwidthMbps)
        .apiKey(acceptedKeys().toArray(new String[0]))
        .projects(demoProject).crawlSimulation(crawlSimulation());
    if (demoJobs > 0) {
      b.demoData(DemoData.defaults().withSeed(seed).withProject(demoProject).withJobs(demoJobs)
          .withItemsPerJob(demoItemsPerJob));
    }
    ScrapyCloudEmulator emulator = b.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread onCtrlC = new Thread(() -> {
      emulator.close();
      stopped.countDown();
    }, "scrapinghub-cli-emulator-stop");
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    context.out().printf("%s; spiders %s run when scheduled; %s. Ctrl-C stops it.%n",
        demoJobs > 0 ? String.format("Project %d has %s x %s", demoProject, Counted.of(demoJobs, "finished demo job"),
            Counted.of(demoItemsPerJob, "item")) : "No demo data", String.join(", ", spiders),
        apikeyFile == null ? "any API key accepted" : "only the keys in " + apikeyFile + " accepted");
    // Last, in the emulator's standard form (what EmulatorMain prints), for tools waiting for it.
    context.out().println(EmulatorReadyLine.of(emulator).text());
    context.out().flush();
    boolean timedOut = stopAfter != null && !stopped.await(stopAfter.toMillis(), TimeUnit.MILLISECONDS);
    if (stopAfter == null) {
      stopped.await();
    }
    if (timedOut) {
      Runtime.getRuntime().removeShutdownHook(onCtrlC);
      emulator.close();
      context.out().println("Stopped after " + DurationConverter.format(stopAfter) + ".");
      context.out().flush();
    }
    return 0;
  }

  /** Scheduled jobs of the deployed spiders run, each writing its items while it runs. */
  private CrawlSimulation crawlSimulation() {
    CrawlSimulation.Builder sim = CrawlSimulation.builder().itemsPerJob(crawlItems).runningTime(crawlTime);
    for (String spider : spiders) {
      sim.spider(spider.strip(), CrawlSimulation.Spider.defaults());
    }
    return sim.build();
  }

  /** A finite number of MB/s >= 0, with a message naming the value and the range. */
  public static final class MegabytesPerSecond implements ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      try {
        double v = Double.parseDouble(value.strip());
        if (v >= 0 && !Double.isInfinite(v)) {
          return v;
        }
      } catch (NumberFormatException ignored) {
        // the message below covers both cases
      }
      throw new TypeConversionException("'" + value + "' is not valid: expected MB/s per response stream >= 0 "
          + "(0 = unlimited), e.g. 0.5");
    }
  }

  private List<String> acceptedKeys() {
    if (apikeyFile == null) {
      return List.of();
    }
    try {
      List<String> keys = Files.readAllLines(apikeyFile, StandardCharsets.UTF_8).stream()
          .map(String::strip).filter(l -> !l.isEmpty()).toList();
      if (keys.isEmpty()) {
        throw new ParameterException(spec.commandLine(), "--apikey-file=" + apikeyFile
            + " holds no key: expected one API key per line");
      }
      return keys;
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), "--apikey-file=" + apikeyFile + " cannot be read ("
          + e.getClass().getSimpleName() + "): expected a file with one API key per line");
    }
  }
}
