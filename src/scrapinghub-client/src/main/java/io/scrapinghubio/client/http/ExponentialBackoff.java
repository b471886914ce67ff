package io.scrapinghubio.client.http;

import io.scrapinghubio.client.core.RetryPolicy;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The delays between attempts of one call: exponential growth (×1.5 per retry) from the policy's
 * initial backoff, capped at its maximum, each randomised by ±50% so that many workers throttled
 * at once do not come back in step. Stops after {@code maxAttempts - 1} retries.
 *
 * <p>A blip (a failure that says nothing about the service's load: a dropped connection, a body
 * cut short, a gateway's 500/502/504) is retried the first time after the policy's shorter
 * {@link RetryPolicy#blipBackoff() blip backoff}, and the schedule then goes on from the initial backoff as if that quick retry had not
 * happened. Measured with {@code ReadFaultsBenchmark}: at 10% faults a read spent nearly all of its
 * time in one-second waits, three in five of them after blips that a prompt second try fixes. A
 * service that asks to slow down (429, 503, 408), refuses connections or times out gets the whole
 * schedule from the start.
 *
 * <p>The client's own small class rather than a retry library: the client depends on OkHttp and
 * Jackson only, and this is the whole of what it needs.
 */
final class ExponentialBackoff {
  static final long STOP = -1;
  private static final double MULTIPLIER = 1.5;
  private static final double RANDOMIZATION = 0.5;

  private final long initialMillis;
  private final long blipMillis;
  private final long maxMillis;
  private final int maxRetries;
  private int retries;
  private boolean quickRetryTaken;

  ExponentialBackoff(RetryPolicy policy) {
    this.initialMillis = Math.max(1, policy.initialBackoff().toMillis());
    this.maxMillis = Math.max(initialMillis, policy.maxBackoff().toMillis());
    this.maxRetries = policy.maxAttempts() - 1;
    this.blipMillis = Math.max(1, policy.blipBackoff().toMillis());
  }

  /**
   * Milliseconds to wait before the next retry, or {@link #STOP} when no retry is left, after a
   * failure that is a blip ({@code true}) or a sign of a loaded, slow or absent service.
   */
  long nextBackOffMillis(boolean blip) {
    if (retries >= maxRetries) {
      return STOP;
    }
    double base;
    if (blip && retries == 0 && blipMillis < initialMillis) {
      base = blipMillis;
      quickRetryTaken = true;
    } else {
      int step = quickRetryTaken ? retries - 1 : retries;
      base = Math.min(maxMillis, initialMillis * Math.pow(MULTIPLIER, step));
    }
    retries++;
    double jitter = 1 + RANDOMIZATION * (2 * ThreadLocalRandom.current().nextDouble() - 1);
    return Math.max(1, Math.min(maxMillis, Math.round(base * jitter)));
  }

  /** Retries handed out so far. */
  int retries() {
    return retries;
  }
}
