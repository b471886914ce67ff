package io.scrapinghubio.emulator.store;

import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import java.util.Map;

/**
 * What one simulated job will do, fixed from the {@link CrawlSimulation} when it is scheduled, and
 * how far it has got; {@link SimulatedCrawlRunner} advances it under the job queue's lock.
 */
final class CrawlPlan {
  final String spider;
  final Map<String, Object> args;
  final long items;
  final long runMillis;
  final String closeReason;
  final int itemsPerPage;
  /** Items after which the job fails, or -1. */
  final long failAfter;
  final long statsIntervalMillis;
  long written;
  long pagesWritten;
  long statsAt;

  CrawlPlan(String spider, Map<String, Object> args, CrawlSimulation sim) {
    this.spider = spider;
    this.args = args;
    this.items = sim.itemCount(spider, args);
    this.runMillis = sim.runningMillis(spider, args);
    this.closeReason = sim.closeReason(spider, args);
    this.itemsPerPage = sim.itemsPerPage(spider, args);
    this.failAfter = sim.failureAfterItems(spider, args);
    this.statsIntervalMillis = sim.statsInterval().toMillis();
  }

  long pages() {
    return (items + itemsPerPage - 1) / itemsPerPage;
  }

  boolean failsNow() {
    return failAfter >= 0 && failAfter < items && written >= failAfter;
  }
}
