package io.scrapinghubio.emulator.fault;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One fault rule: which requests it matches (optional method and path regex), what it does
 * ({@link FaultKind}) and when it fires (the next {@code n} matches, or a share of matches drawn
 * from the plan's seeded random source). Configure it fluently right after
 * {@link FaultPlan#rule()}; every setter is thread-safe and takes effect at once.
 *
 * <pre>{@code
 * emulator.faults().rule().method("GET").path("^/items/").status(503).times(2);
 * emulator.faults().rule().path("^/jobq/").status(429).retryAfter(3).rate(0.2);
 * emulator.faults().rule().truncateAfter(10_000).times(1);
 * }</pre>
 */
public final class FaultRule {
  private String method;
  private Pattern path;
  private FaultKind kind;
  private int status;
  private long retryAfterSeconds = 1;
  private long latencyMs;
  private long truncateAfter;
  /** Remaining shots; negative means unlimited. */
  private long remaining = -1;
  private double rate = 1.0;
  private long skip;
  private long fired;

  FaultRule() {}

  /**
   * Only requests with this HTTP method (case-insensitive); null = any.
   *
   * @param method the method, or null
   * @return this rule
   */
  public synchronized FaultRule method(String method) {
    this.method = method == null ? null : method.toUpperCase(Locale.ROOT);
    return this;
  }

  /**
   * Only requests whose path ({@code /items/1/2/3}, {@code /api/run.json}) contains a match.
   *
   * @param regex a Java regex
   * @return this rule
   */
  public synchronized FaultRule path(String regex) {
    this.path = regex == null ? null : Pattern.compile(regex);
    return this;
  }

  /**
   * Answer with this status instead of the real response (proxy-style HTML body).
   *
   * @param status the HTTP status
   * @return this rule
   */
  public synchronized FaultRule status(int status) {
    this.kind = FaultKind.STATUS;
    this.status = status;
    return this;
  }

  /**
   * {@code Retry-After} seconds sent with a 429/503 status fault (default 1).
   *
   * @param seconds the header's value
   * @return this rule
   */
  public synchronized FaultRule retryAfter(long seconds) {
    this.retryAfterSeconds = seconds;
    return this;
  }

  /**
   * Add this much latency before answering. Latency rules add up and do not stop other rules.
   *
   * @param ms milliseconds
   * @return this rule
   */
  public synchronized FaultRule latency(long ms) {
    this.kind = FaultKind.LATENCY;
    this.latencyMs = ms;
    return this;
  }

  /**
   * Send the headers and the first {@code bytes} bytes of the body as they go on the wire (after
   * gzip), then close the connection. Responses not longer than that are left intact and do not
   * use up the rule.
   *
   * @param bytes bytes sent before the cut
   * @return this rule
   */
  public synchronized FaultRule truncateAfter(long bytes) {
    this.kind = FaultKind.TRUNCATE;
    this.truncateAfter = bytes;
    return this;
  }

  /**
   * Close the connection without sending any response.
   *
   * @return this rule
   */
  public synchronized FaultRule resetConnection() {
    this.kind = FaultKind.RESET;
    return this;
  }

  /**
   * Handle the request normally (a write is applied), then close the connection without sending
   * the answer: the lost-acknowledgement case, which shows whether a retried write is idempotent.
   *
   * @return this rule
   */
  public synchronized FaultRule resetAfterHandling() {
    this.kind = FaultKind.RESET_AFTER_HANDLING;
    return this;
  }

  /**
   * Fire on the next {@code n} matching requests only.
   *
   * @param n how many requests
   * @return this rule
   */
  public synchronized FaultRule times(long n) {
    this.remaining = n;
    return this;
  }

  /**
   * Fire on this share (0..1) of matching requests, drawn from the plan's seeded random.
   *
   * @param share 0 to 1
   * @return this rule
   */
  public synchronized FaultRule rate(double share) {
    if (share < 0 || share > 1) {
      throw new IllegalArgumentException("rate must be within 0..1: " + share);
    }
    this.rate = share;
    return this;
  }

  /**
   * Let the first {@code n} matching requests through untouched.
   *
   * @param n how many requests
   * @return this rule
   */
  public synchronized FaultRule skip(long n) {
    this.skip = n;
    return this;
  }

  /**
   * How many times this rule fired.
   *
   * @return the count
   */
  public synchronized long fired() {
    return fired;
  }

  /**
   * What the rule does when it fires, as set by its last action setter.
   *
   * @return the kind
   */
  public synchronized FaultKind kind() {
    return kind;
  }

  synchronized boolean matches(String reqMethod, String reqPath) {
    if (kind == null || remaining == 0) {
      return false;
    }
    if (method != null && !method.equals(reqMethod)) {
      return false;
    }
    return path == null || path.matcher(reqPath).find();
  }

  /** Decides whether the rule applies to this matching request (consumes skip, draws rate). */
  synchronized boolean draw(java.util.Random random) {
    if (skip > 0) {
      skip--;
      return false;
    }
    return rate >= 1.0 || random.nextDouble() < rate;
  }

  /** Uses one shot; false if none left. */
  synchronized boolean consume() {
    if (remaining == 0) {
      return false;
    }
    if (remaining > 0) {
      remaining--;
    }
    fired++;
    return true;
  }

  synchronized int statusCode() {
    return status;
  }

  synchronized long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  synchronized long latencyMs() {
    return latencyMs;
  }

  synchronized long truncateAfterBytes() {
    return truncateAfter;
  }
}
