package io.scrapinghubio.client.http;

import io.scrapinghubio.client.core.RetryPolicy;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The delays between attempts of one call: exponential growth (×1.5 per retry) from the policy's
 * initial backoff, capped at its maximum, each randomised by ±50% so that many workers throttled
 * at once do not come back in step. Stops after {@code maxAttempts - 1} retries.
 *
 * <p>The client's own small class rather than a retry library: the client depends on OkHttp and
 * Jackson only, and this is the whole of what it needs.
 */
final class ExponentialBackoff {
  static final long STOP = -1;
  private static final double MULTIPLIER = 1.5;
  private static final double RANDOMIZATION = 0.5;

  private final long initialMillis;
  private final long maxMillis;
  private final int maxRetries;
  private int retries;

  ExponentialBackoff(RetryPolicy policy) {
    this.initialMillis = Math.max(1, policy.initialBackoff().toMillis());
    this.maxMillis = Math.max(initialMillis, policy.maxBackoff().toMillis());
    this.maxRetries = policy.maxAttempts() - 1;
  }

  /** Milliseconds to wait before the next retry, or {@link #STOP} when no retry is left. */
  long nextBackOffMillis() {
    if (retries >= maxRetries) {
      return STOP;
    }
    double base = Math.min(maxMillis, initialMillis * Math.pow(MULTIPLIER, retries));
    retries++;
    double jitter = 1 + RANDOMIZATION * (2 * ThreadLocalRandom.current().nextDouble() - 1);
    return Math.min(maxMillis, Math.round(base * jitter));
  }

  /** Retries handed out so far. */
  int retries() {
    return retries;
  }
}
