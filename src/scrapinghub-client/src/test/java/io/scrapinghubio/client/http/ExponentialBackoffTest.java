package io.scrapinghubio.client.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.client.core.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The waits between attempts: a quick first retry after a blip, the full schedule otherwise. */
class ExponentialBackoffTest {
  private static final RetryPolicy POLICY = RetryPolicy.of(5, Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(10));

  private static void assertAround(double expectedMillis, long actual) {
    assertTrue(actual >= expectedMillis * 0.5 && actual <= expectedMillis * 1.5,
        actual + " ms is not within ±50% of " + expectedMillis + " ms");
  }

  @RepeatedTest(20)
  void aBlipIsRetriedQuicklyOnceAndThenTheScheduleStartsOver() {
    ExponentialBackoff b = new ExponentialBackoff(POLICY);
    assertAround(100, b.nextBackOffMillis(true));
    assertAround(1000, b.nextBackOffMillis(true)); // a second blip in a row: the service may be in trouble
    assertAround(1500, b.nextBackOffMillis(true));
    assertAround(2250, b.nextBackOffMillis(false));
    assertEquals(ExponentialBackoff.STOP, b.nextBackOffMillis(true), "attempts stay bounded: 5 attempts, 4 retries");
  }

  @RepeatedTest(20)
  void aServiceThatAsksToSlowDownGetsTheWholeSchedule() {
    ExponentialBackoff b = new ExponentialBackoff(POLICY);
    assertAround(1000, b.nextBackOffMillis(false));
    assertAround(1500, b.nextBackOffMillis(true)); // a blip after throttling earns no quick retry
    assertAround(2250, b.nextBackOffMillis(false));
  }

  @Test
  void neverWaitsLessThanAMillisecond() {
    ExponentialBackoff b = new ExponentialBackoff(RetryPolicy.of(3, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(1)));
    assertTrue(b.nextBackOffMillis(true) >= 1);
  }

  @RepeatedTest(10)
  void aBlipBackoffEqualToTheInitialOneGivesBlipsTheWholeSchedule() {
    ExponentialBackoff b = new ExponentialBackoff(POLICY.withBlipBackoff(Duration.ofSeconds(1)));
    assertAround(1000, b.nextBackOffMillis(true));
    assertAround(1500, b.nextBackOffMillis(true));
    b = new ExponentialBackoff(POLICY.withBlipBackoff(Duration.ofMillis(20)));
    assertAround(20, b.nextBackOffMillis(true));
  }

  @Test
  void theBlipBackoffIsValidatedAndKeptByTheOtherSetters() {
    assertEquals(Duration.ofMillis(100), RetryPolicy.defaults().blipBackoff());
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> RetryPolicy.defaults().withBlipBackoff(Duration.ofSeconds(2)));
    assertTrue(e.getMessage().contains("PT2S") && e.getMessage().contains("initialBackoff"), e.getMessage());
    RetryPolicy p = RetryPolicy.defaults().withBlipBackoff(Duration.ofMillis(300)).withMaxAttempts(3);
    assertEquals(Duration.ofMillis(300), p.blipBackoff());
    assertEquals(Duration.ofMillis(200), p.withInitialBackoff(Duration.ofMillis(200)).blipBackoff(), "never above the first backoff");
  }
}
