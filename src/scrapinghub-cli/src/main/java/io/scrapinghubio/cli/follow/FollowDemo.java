package io.scrapinghubio.cli.follow;

import io.scrapinghubio.cli.cloud.DemoEmulator;
import io.scrapinghubio.cli.cloud.ScrapyCloudTarget;
import io.scrapinghubio.cli.options.PositiveIntConverter;
import io.scrapinghubio.client.RunRequest;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import io.scrapinghubio.emulator.demo.DemoData;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;

/**
 * The follow's demo: an emulator whose spider really crawls, a few items a second, five to a page,
 * so that running jobs can be watched; the command schedules a few crawls while it follows.
 */
public final class FollowDemo implements DemoEmulator {
  /** The demo project's spider, and the one crawled unless --spider names others. */
  static final String SPIDER = "books";

  /** Crawl speed: slow enough that a follow with --running-jobs reads a job while it runs. */
  private static final double ITEMS_PER_SECOND = 25;

  /** Categories the demo crawls, one job each, in turn. */
  private static final List<String> CATEGORIES = List.of("poetry", "travel", "history", "science", "music");

  /** Time between two scheduled demo crawls, so that jobs appear while the follow runs. */
  private static final Duration SCHEDULE_EVERY = Duration.ofSeconds(2);

  @Option(names = "--demo-crawls", paramLabel = "N", defaultValue = "3", converter = PositiveIntConverter.AtLeastOne.class,
      description = "Demo mode: crawls the command schedules while it follows, one every 2 s (default: ${DEFAULT-VALUE})")
  int crawls;

  @Option(names = "--demo-items-per-crawl", paramLabel = "N", defaultValue = "100",
      converter = PositiveIntConverter.AtLeastOne.class,
      description = "Demo mode: items each demo crawl scrapes, 25 a second (default: ${DEFAULT-VALUE})")
  int itemsPerCrawl;

  private List<String> spiders = List.of(SPIDER);

  /** Deploys these spiders (the ones the command follows) instead of the default one. */
  void deploy(List<String> names) {
    if (!names.isEmpty()) {
      spiders = List.copyOf(names);
    }
  }

  @Override
  public long project() {
    return DemoData.DEFAULT_PROJECT;
  }

  @Override
  public ScrapyCloudEmulator.Builder configure(ScrapyCloudEmulator.Builder builder) {
    CrawlSimulation.Builder sim = CrawlSimulation.builder().pendingTime(Duration.ofMillis(200))
        .itemsPerSecond(ITEMS_PER_SECOND).itemsPerPage(5).statsInterval(Duration.ofSeconds(2)).unitsCapacity(2);
    for (String spider : spiders) {
      sim.spider(spider, CrawlSimulation.Spider.defaults());
    }
    return builder.projects(project()).crawlSimulation(sim.build());
  }

  @Override
  public String describe() {
    return String.format("spider %s that crawls %d jobs of %,d items, %.0f a second, scheduled while following",
        spiders.get(0), crawls, itemsPerCrawl, ITEMS_PER_SECOND);
  }

  /**
   * Schedules the demo crawls in the background once the follow has listed the project's jobs for
   * the first time (the runner takes a while to start), so that it finds them while they run. Each
   * crawl carries {@code tags} so that a --has-tag selection follows it. Closing stops scheduling.
   */
  AutoCloseable scheduleWhileFollowing(ScrapyCloudTarget target, List<String> tags, PrintWriter out) {
    ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "scrapinghub-cli-demo-crawls");
      t.setDaemon(true);
      return t;
    });
    ScrapinghubClient client = ScrapinghubClient.create(target.clientConfig());
    background.execute(() -> {
      target.emulator().requestLog().awaitMatching("GET", "^/jobq/" + project() + "/list$", 1, Duration.ofMinutes(5));
      for (int i = 0; i < crawls; i++) {
        String category = CATEGORIES.get(i % CATEGORIES.size());
        RunRequest run = RunRequest.of(spiders.get(0)).withArg("category", category)
            .withArg("items", Integer.toString(itemsPerCrawl)).withTags(tags.isEmpty() ? "demo" : tags.get(0));
        background.schedule(() -> {
          String key = client.getProject(project()).jobs().run(run).key().toString();
          out.printf("Demo: scheduled %s (%s, %,d items)%n", key, category, itemsPerCrawl);
          out.flush();
        }, i * SCHEDULE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
      }
    });
    return () -> {
      background.shutdownNow();
      client.close();
    };
  }
}
