package io.scrapinghubio.client.core;

import java.io.Serializable;
import java.time.Duration;
import java.util.Set;

/**
 * How failed calls are retried: exponential backoff with jitter (×1.5 per retry, ±50%), bounded
 * by attempts and by total time, honouring {@code Retry-After}. A blip (a dropped connection, a
 * body cut short, a gateway's 500/502/504) is retried the first time after the shorter
 * {@link #blipBackoff()}; a service that asks to slow down (408, 429, 503), refuses connections or
 * times out gets the whole schedule.
 *
 * <p>Retried: HTTP 408, 429, 500, 502, 503, 504 (the union of Scrapy's and python-scrapinghub's
 * lists, plus 500 which the storage API sends on transient faults) and connection failures. Never
 * retried: 400, 401, 403, 404, 413 (retrying cannot fix them). Non-idempotent calls (run.json, jobq
 * push) are retried only when the request provably never reached the server (connect failure).
 */
public final class RetryPolicy implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The HTTP statuses retried: timeouts, throttling and the server errors a retry can cure. */
  public static final Set<Integer> RETRYABLE_STATUSES = Set.of(408, 429, 500, 502, 503, 504);

  /** See {@link #maxAttempts()}. */
  private final int maxAttempts;
  /** See {@link #initialBackoff()}. */
  private final Duration initialBackoff;
  /** See {@link #maxBackoff()}. */
  private final Duration maxBackoff;
  /** See {@link #maxTotalTime()}. */
  private final Duration maxTotalTime;
  /** First wait after a blip; null: a tenth of {@link #initialBackoff}. */
  private final Duration blipBackoff;

  private RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxTotalTime) {
    this(maxAttempts, initialBackoff, maxBackoff, maxTotalTime, null);
  }

  private RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxTotalTime,
      Duration blipBackoff) {
    this.maxAttempts = maxAttempts;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.maxTotalTime = maxTotalTime;
    this.blipBackoff = blipBackoff;
  }

  /**
   * 8 attempts, 1 s first backoff growing ×1.5 to at most 60 s, at most 10 minutes in all; 100 ms
   * before the first retry after a blip.
   *
   * @return the policy
   */
  public static RetryPolicy defaults() {
    return new RetryPolicy(8, Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofMinutes(10));
  }

  /**
   * A single attempt: failures surface at once.
   *
   * @return the policy
   */
  public static RetryPolicy none() {
    return new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(1));
  }

  /**
   * A policy with these limits.
   *
   * @param maxAttempts attempts in all, at least 1
   * @param initialBackoff the first wait
   * @param maxBackoff the longest wait
   * @param maxTotalTime the most time for all attempts
   * @return the policy
   */
  public static RetryPolicy of(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxTotalTime) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, but was " + maxAttempts);
    }
    requirePositive("initialBackoff", initialBackoff);
    requirePositive("maxBackoff", maxBackoff);
    requirePositive("maxTotalTime", maxTotalTime);
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff (" + maxBackoff + ") must be >= initialBackoff (" + initialBackoff + ")");
    }
    return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, maxTotalTime);
  }

  private static void requirePositive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration, but was " + d);
    }
  }

  /**
   * The same policy with another number of attempts.
   *
   * @param n attempts in all, at least 1
   * @return a new policy
   */
  public RetryPolicy withMaxAttempts(int n) {
    return of(n, initialBackoff, maxBackoff, maxTotalTime).keepingBlipBackoff(blipBackoff);
  }

  /**
   * The same policy with another first wait (the longest wait is raised to it if lower).
   *
   * @param d the first wait
   * @return a new policy
   */
  public RetryPolicy withInitialBackoff(Duration d) {
    return of(maxAttempts, d, maxBackoff.compareTo(d) < 0 ? d : maxBackoff, maxTotalTime).keepingBlipBackoff(blipBackoff);
  }

  /**
   * The same policy with another longest wait.
   *
   * @param d the longest wait
   * @return a new policy
   */
  public RetryPolicy withMaxBackoff(Duration d) {
    return of(maxAttempts, initialBackoff, d, maxTotalTime).keepingBlipBackoff(blipBackoff);
  }

  /**
   * The same policy with another time limit.
   *
   * @param d the most time for all attempts
   * @return a new policy
   */
  public RetryPolicy withMaxTotalTime(Duration d) {
    return of(maxAttempts, initialBackoff, maxBackoff, d).keepingBlipBackoff(blipBackoff);
  }

  /** This policy with a blip backoff set earlier, never above the (possibly new) initial backoff. */
  private RetryPolicy keepingBlipBackoff(Duration blip) {
    if (blip == null) {
      return this;
    }
    return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, maxTotalTime,
        blip.compareTo(initialBackoff) > 0 ? initialBackoff : blip);
  }

  /**
   * The wait before the first retry after a blip (default: a tenth of the initial backoff). Equal
   * to the initial backoff, blips get the whole schedule like any other failure.
   *
   * @param d the wait
   * @return a new policy
   * @throws IllegalArgumentException unless {@code 0 < d <= initialBackoff}
   */
  public RetryPolicy withBlipBackoff(Duration d) {
    requirePositive("blipBackoff", d);
    if (d.compareTo(initialBackoff) > 0) {
      throw new IllegalArgumentException("blipBackoff (" + d + ") must be <= initialBackoff (" + initialBackoff + ")");
    }
    return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, maxTotalTime, d);
  }

  /**
   * Attempts in all, the first included.
   *
   * @return the count
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * The wait before the first retry.
   *
   * @return the wait
   */
  public Duration initialBackoff() {
    return initialBackoff;
  }

  /**
   * The longest wait between attempts.
   *
   * @return the wait
   */
  public Duration maxBackoff() {
    return maxBackoff;
  }

  /**
   * The most time for all attempts.
   *
   * @return the time
   */
  public Duration maxTotalTime() {
    return maxTotalTime;
  }

  /**
   * The wait before the first retry after a blip.
   *
   * @return the wait
   */
  public Duration blipBackoff() {
    return blipBackoff != null ? blipBackoff : initialBackoff.dividedBy(10);
  }

  /**
   * Whether a status is retried.
   *
   * @param status an HTTP status
   * @return true for {@link #RETRYABLE_STATUSES}
   */
  public static boolean isRetryableStatus(int status) {
    return RETRYABLE_STATUSES.contains(status);
  }

  @Override
  public String toString() {
    return "RetryPolicy{maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff
        + ", maxBackoff=" + maxBackoff + ", maxTotalTime=" + maxTotalTime + ", blipBackoff=" + blipBackoff() + "}";
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RetryPolicy)) {
      return false;
    }
    RetryPolicy r = (RetryPolicy) o;
    return maxAttempts == r.maxAttempts && initialBackoff.equals(r.initialBackoff)
        && maxBackoff.equals(r.maxBackoff) && maxTotalTime.equals(r.maxTotalTime) && blipBackoff().equals(r.blipBackoff());
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(maxAttempts, initialBackoff, maxBackoff, maxTotalTime, blipBackoff());
  }
}
