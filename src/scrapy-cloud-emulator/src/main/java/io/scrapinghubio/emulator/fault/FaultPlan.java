package io.scrapinghubio.emulator.fault;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Faults to inject, changeable at runtime, evaluated for every request before authentication
 * (they model a proxy or an overloaded backend in front of the service).
 *
 * <p>Rules are checked in the order they were added. All matching latency rules add up; then the
 * first matching status/reset/truncate rule that fires decides the outcome. Rate-based rules draw
 * from one {@link Random} seeded by {@link #seed(long)}, so a single-threaded test sees the same
 * faults on every run. Every fault that really happened is counted and listed
 * ({@link #injectedCount()}, {@link #injected()}).
 */
public final class FaultPlan {

  /** What the server should do with one request. */
  public record Decision(long latencyMs, FaultRule action) {
    /** Answer normally, at once. */
    public static final Decision NONE = new Decision(0, null);
  }

  private final List<FaultRule> rules = new CopyOnWriteArrayList<>();
  private final List<InjectedFault> injected = new CopyOnWriteArrayList<>();
  private final Map<FaultKind, Long> counts = new EnumMap<>(FaultKind.class);
  private Random random;
  private long seed;

  /** A plan without rules, seeded with 42. */
  public FaultPlan() {
    this(42);
  }

  /**
   * A plan without rules.
   *
   * @param seed the seed of its random source
   */
  public FaultPlan(long seed) {
    seed(seed);
  }

  /**
   * Re-seeds the random source used by rate-based rules.
   *
   * @param seed the new seed
   * @return this plan
   */
  public synchronized FaultPlan seed(long seed) {
    this.seed = seed;
    this.random = new Random(seed);
    return this;
  }

  /**
   * A new rule, already active; configure it with its fluent setters.
   *
   * @return the rule
   */
  public FaultRule rule() {
    FaultRule r = new FaultRule();
    rules.add(r);
    return r;
  }

  /**
   * Fails the next {@code n} requests (any method and path) with {@code status}.
   *
   * @param n how many requests
   * @param status the HTTP status to answer
   * @return the rule, active
   */
  public FaultRule failNext(int n, int status) {
    return rule().status(status).times(n);
  }

  /**
   * Fails the next {@code n} requests matching method (null = any) and path regex.
   *
   * @param n how many requests
   * @param status the HTTP status to answer
   * @param method the HTTP method, or null for any
   * @param pathRegex a regex the path must contain a match of
   * @return the rule, active
   */
  public FaultRule failNext(int n, int status, String method, String pathRegex) {
    return rule().method(method).path(pathRegex).status(status).times(n);
  }

  /**
   * Fails a share (0..1) of all requests with {@code status}.
   *
   * @param share the share of requests, 0 to 1
   * @param status the HTTP status to answer
   * @return the rule, active
   */
  public FaultRule failRate(double share, int status) {
    return rule().status(status).rate(share);
  }

  /**
   * Truncates the next {@code n} responses longer than {@code afterBytes} after that many bytes.
   *
   * @param n how many responses
   * @param afterBytes bytes sent before the cut
   * @return the rule, active
   */
  public FaultRule truncateNext(int n, long afterBytes) {
    return rule().truncateAfter(afterBytes).times(n);
  }

  /**
   * Drops the connection of the next {@code n} requests without answering.
   *
   * @param n how many requests
   * @return the rule, active
   */
  public FaultRule resetNext(int n) {
    return rule().resetConnection().times(n);
  }

  /**
   * Applies the next {@code n} requests matching method (null = any) and path regex, then drops
   * their answers.
   *
   * @param n how many requests
   * @param method the HTTP method, or null for any
   * @param pathRegex a regex the path must contain a match of
   * @return the rule, active
   */
  public FaultRule loseAckNext(int n, String method, String pathRegex) {
    return rule().method(method).path(pathRegex).resetAfterHandling().times(n);
  }

  /**
   * Fails a share (0..1) of all requests, spread evenly over the faults a client meets in front of
   * the real service: 429 with {@code Retry-After: 0}, 500, 503 with {@code Retry-After: 0}, the
   * connection dropped before an answer, and a body cut off after 4 KiB (on bodies longer than
   * that). Each request draws once per kind, in that order, with the later shares raised so that
   * every kind fires on about {@code share / 5} of all requests. This is what the emulator's
   * {@code --fault-rate} option installs.
   *
   * @param share the share of requests, 0 to 1
   * @return this plan
   */
  public FaultPlan mixed(double share) {
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException("fault share must be in 0..1, but was " + share);
    }
    if (share == 0) {
      return this;
    }
    double each = share / 5;
    double left = 1;
    List<java.util.function.Consumer<FaultRule>> kinds = List.of(
        r -> r.status(429).retryAfter(0), r -> r.status(500), r -> r.status(503).retryAfter(0),
        FaultRule::resetConnection, r -> r.truncateAfter(4096));
    for (java.util.function.Consumer<FaultRule> kind : kinds) {
      FaultRule r = rule();
      kind.accept(r);
      r.rate(Math.min(1, each / left)); // drawn only when no earlier kind fired
      left -= each;
    }
    return this;
  }

  /**
   * Adds latency to every request.
   *
   * @param ms milliseconds
   * @return the rule, active
   */
  public FaultRule latency(long ms) {
    return rule().latency(ms);
  }

  /** Removes all rules and forgets the injected faults; re-seeds with the same seed. */
  public synchronized void reset() {
    rules.clear();
    injected.clear();
    counts.clear();
    random = new Random(seed);
  }

  /**
   * The active rules, in the order they are tried.
   *
   * @return a copy
   */
  public List<FaultRule> rules() {
    return List.copyOf(rules);
  }

  /**
   * Total faults injected since the last reset (latency included).
   *
   * @return the count
   */
  public synchronized long injectedCount() {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Faults of one kind injected since the last reset.
   *
   * @param kind the kind
   * @return the count
   */
  public synchronized long injectedCount(FaultKind kind) {
    return counts.getOrDefault(kind, 0L);
  }

  /**
   * The faults injected since the last reset, in order.
   *
   * @return the faults
   */
  public List<InjectedFault> injected() {
    return new ArrayList<>(injected);
  }

  /**
   * Chooses what to do with a request. Called by the server for every request.
   *
   * @param method the request's HTTP method
   * @param path the request's path
   * @return the latency to add and the rule that decides the answer, if any
   */
  public Decision decide(String method, String path) {
    if (rules.isEmpty()) {
      return Decision.NONE;
    }
    long latency = 0;
    FaultRule action = null;
    synchronized (this) {
      for (FaultRule r : rules) {
        if (!r.matches(method, path)) {
          continue;
        }
        if (r.kind() == FaultKind.LATENCY) {
          if (r.draw(random) && r.consume()) {
            latency += r.latencyMs();
            record(FaultKind.LATENCY, method, path, r.latencyMs());
          }
        } else if (action == null && r.draw(random)) {
          // Truncation is consumed only when it really cuts a body (see truncated()).
          if (r.kind() == FaultKind.TRUNCATE || r.consume()) {
            action = r;
          }
        }
      }
    }
    if (action != null && action.kind() != FaultKind.TRUNCATE) {
      record(action.kind(), method, path,
          action.kind() == FaultKind.STATUS ? action.statusCode() : 0);
    }
    return latency == 0 && action == null ? Decision.NONE : new Decision(latency, action);
  }

  /**
   * Called when a truncation is about to cut a response; false if the rule has no shot left.
   *
   * @param rule the truncation rule
   * @param method the request's HTTP method
   * @param path the request's path
   * @return true when the response is cut
   */
  public boolean truncating(FaultRule rule, String method, String path) {
    if (!rule.consume()) {
      return false;
    }
    record(FaultKind.TRUNCATE, method, path, rule.truncateAfterBytes());
    return true;
  }

  private synchronized void record(FaultKind kind, String method, String path, long detail) {
    counts.merge(kind, 1L, Long::sum);
    injected.add(new InjectedFault(kind, method, path, detail));
  }

  /**
   * Status code of a status rule.
   *
   * @param r a status rule
   * @return the HTTP status
   */
  public static int status(FaultRule r) {
    return r.statusCode();
  }

  /**
   * {@code Retry-After} seconds of a status rule.
   *
   * @param r a status rule
   * @return the seconds
   */
  public static long retryAfter(FaultRule r) {
    return r.retryAfterSeconds();
  }

  /**
   * Bytes a truncation rule lets through.
   *
   * @param r a truncation rule
   * @return the bytes
   */
  public static long truncateAfter(FaultRule r) {
    return r.truncateAfterBytes();
  }
}
