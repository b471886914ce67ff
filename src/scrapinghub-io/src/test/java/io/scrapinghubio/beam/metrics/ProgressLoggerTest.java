package io.scrapinghubio.beam.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scrapinghubio.client.metrics.ClientStats;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A continuous read's lag, forgotten with the transform's last reader; the plan's part is in {@link ReadPlanTest}. */
class ProgressLoggerTest {

  @Test
  void aContinuousReadsLineSaysItsLagUntilTheLastReaderLeaves() {
    String name = "ProgressLoggerTest-lag-" + System.nanoTime();
    assertEquals("", ProgressLogger.lag(name), "a read that has emitted no timestamped record says no lag");
    ClientStats reader = new ClientStats();
    ProgressLogger.register(name, reader, Duration.ofHours(1));
    long old = System.currentTimeMillis() - 60_000;
    ProgressLogger.newestRecord(name, old);
    ProgressLogger.newestRecord(name, old - 5_000); // an older record does not move the newest back
    String lag = ProgressLogger.lag(name);
    org.junit.jupiter.api.Assertions.assertTrue(lag.matches(", lag (6\\d|[7-9]\\d|\\d{3,})\\.\\d s"), lag);
    ProgressLogger.unregister(name, reader);
    assertEquals("", ProgressLogger.lag(name));
  }
}
