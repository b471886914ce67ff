package io.scrapinghubio.cli.follow;

import io.scrapinghubio.cli.console.Counted;
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
      description = "Demo mode: crawls the command schedules while it follows, one every 2 s; the follow ends once "
          + "they are all read (default: ${DEFAULT-VALUE})")
  int crawls;

  @Option(names = "--demo-items-per-crawl", paramLabel = "N", defaultValue = "100",
      converter = PositiveIntConverter.AtLeastOne.class,
      description = "Demo mode: items each demo crawl scrapes, 25 a second (default: ${DEFAULT-VALUE})")
  int itemsPerCrawl;

  /** Once the crawls are over, how long without a new item ends a demo whose selection leaves items out. */
  private static final Duration QUIET_END = Duration.ofSeconds(15);

  private List<String> spiders = List.of(SPIDER);
  private volatile long lastTaken = -1;
  private volatile long lastProgressNanos = System.nanoTime();

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
    return String.format("spider %s that crawls %s of %s, %.0f a second, scheduled while following",
        spiders.get(0), Counted.of(crawls, "job"), Counted.of(itemsPerCrawl, "item"), ITEMS_PER_SECOND);
  }

  /**
   * Schedules the demo crawls in the background once the follow has listed the project's jobs for
   * the first time (the runner takes a while to start), so that it finds them while they run. Each
   * crawl carries {@code tags} so that a --has-tag selection follows it. Once every crawl has
   * finished and its items are read, asks the follow to stop ({@code control}): the demo ends when
   * its crawls are read, not after a number of idle polls, which jobs waiting for the project's
   * capacity would use up. Closing stops scheduling.
   */
  AutoCloseable scheduleWhileFollowing(ScrapyCloudTarget target, List<String> tags, PrintWriter out,
      FollowControl control) {
    ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "scrapinghub-cli-demo-crawls");
      t.setDaemon(true);
      return t;
    });
    ScrapinghubClient client = ScrapinghubClient.create(target.clientConfig());
    List<String> keys = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicInteger attempted = new java.util.concurrent.atomic.AtomicInteger();
    background.execute(() -> {
      target.emulator().requestLog().awaitMatching("GET", "^/jobq/" + project() + "/list$", 1, Duration.ofMinutes(5));
      for (int i = 0; i < crawls; i++) {
        int n = i + 1;
        String category = CATEGORIES.get(i % CATEGORIES.size());
        // The crawl's number keeps the arguments of each crawl apart: the same spider with the same
        // arguments is refused while one such job is pending or running.
        RunRequest run = RunRequest.of(spiders.get(0)).withArg("category", category).withArg("crawl", Integer.toString(n))
            .withArg("items", Integer.toString(itemsPerCrawl)).withTags(tags.isEmpty() ? "demo" : tags.get(0));
        background.schedule(() -> {
          try {
            String key = client.getProject(project()).jobs().run(run).key().toString();
            keys.add(key);
            out.printf("Demo: scheduled %s (%s, %s)%n", key, category, Counted.of(itemsPerCrawl, "item"));
          } catch (RuntimeException e) {
            out.printf("Demo: could not schedule crawl %d (%s): %s%n", n, category,
                io.scrapinghubio.cli.console.ErrorText.describe(e));
          } finally {
            out.flush();
            attempted.incrementAndGet();
          }
        }, i * SCHEDULE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
      }
      background.scheduleWithFixedDelay(() -> stopOnceRead(client, keys, attempted.get(), control), 1, 1,
          TimeUnit.SECONDS);
    });
    return () -> {
      background.shutdownNow();
      client.close();
    };
  }

  /** Stops the follow once every crawl is scheduled, finished, and its items read. */
  private void stopOnceRead(ScrapinghubClient client, List<String> keys, int attempted, FollowControl control) {
    long taken = control.taken();
    if (taken != lastTaken) {
      lastTaken = taken;
      lastProgressNanos = System.nanoTime();
    }
    if (attempted < crawls || control.stopRequested()) {
      return;
    }
    if (!keys.isEmpty()) {
      var summaries = client.getProject(project()).jobs().summaries(keys);
      long finished = summaries.values().stream().filter(s -> "finished".equals(s.state())).count();
      // A selection that leaves some demo items out (--lacks-tag=demo...) never reads them all: a
      // while without a new item, once the crawls are over, ends it too.
      boolean quiet = System.nanoTime() - lastProgressNanos > QUIET_END.toNanos();
      if (finished < keys.size() || (taken < (long) keys.size() * itemsPerCrawl && !quiet)) {
        return;
      }
    }
    control.requestStop("the demo crawls are all read");
  }
}
