package io.scrapinghubio.cli.schedule;

import io.scrapinghubio.cli.console.Counted;
import io.scrapinghubio.cli.cloud.DemoEmulator;
import io.scrapinghubio.cli.options.PositiveIntConverter;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import io.scrapinghubio.emulator.demo.DemoData;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The schedule command's demo: an emulator whose spiders (those the command schedules) really run: pending, then
 * running while their items appear, then finished. Spider arguments {@code items=N} and
 * {@code run_ms=N} change a job's size and duration; {@code category} appears in its items.
 */
public final class ScheduleDemo implements DemoEmulator {
  /** How long a demo crawl runs: long enough to be seen running, short enough for a demo. */
  private static final Duration CRAWL_TIME = Duration.ofSeconds(2);

  @Option(names = "--demo-items-per-job", paramLabel = "N", defaultValue = "100",
      converter = PositiveIntConverter.AtLeastOne.class,
      description = "Demo mode: items each scheduled job scrapes, unless its argument items=N says otherwise "
          + "(default: ${DEFAULT-VALUE})")
  int itemsPerJob;

  /** The spiders the command schedules: the demo deploys exactly these, as a real project would have them. */
  private java.util.List<String> spiders = java.util.List.of();

  /** Deploys these spiders on the demo emulator. */
  void deploy(java.util.List<String> names) {
    this.spiders = java.util.List.copyOf(names);
  }

  @Override
  public long project() {
    return DemoData.DEFAULT_PROJECT;
  }

  @Override
  public ScrapyCloudEmulator.Builder configure(ScrapyCloudEmulator.Builder builder) {
    CrawlSimulation.Builder sim = CrawlSimulation.builder().pendingTime(Duration.ofMillis(100))
        .runningTime(CRAWL_TIME).itemsPerJob(itemsPerJob);
    for (String spider : spiders) {
      sim.spider(spider, CrawlSimulation.Spider.defaults());
    }
    return builder.projects(project()).crawlSimulation(sim.build());
  }

  @Override
  public String describe() {
    return String.format("spiders that run: each job scrapes %s in %d s", Counted.of(itemsPerJob, "item"),
        CRAWL_TIME.toSeconds());
  }
}
