package io.scrapinghubio.emulator.log;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The most recent requests (bounded ring buffer), oldest first: in the order they arrived, not the
 * order their handling finished. A request is logged after its answer was sent, so a client that
 * sends its next request at once (TCP_NODELAY) could otherwise see that one logged first.
 */
public final class RequestLog {
  private final int capacity;
  private final ArrayDeque<LoggedRequest> entries = new ArrayDeque<>();
  private final ArrayDeque<Long> seqs = new ArrayDeque<>();
  private final java.util.concurrent.atomic.AtomicLong arrivals = new java.util.concurrent.atomic.AtomicLong();
  private long clearedAt;
  private long done;
  private static final long AWAIT_MS = 2000;
  private static final Duration AWAIT_MATCHING = Duration.ofSeconds(10);

  /**
   * A log keeping the latest {@code capacity} requests.
   *
   * @param capacity how many requests it keeps
   */
  public RequestLog(int capacity) {
    this.capacity = capacity;
  }

  /**
   * A number for a request that just arrived; pass it to {@link #add(long, LoggedRequest)} when
   * done.
   *
   * @return the arrival number
   */
  public long arrived() {
    return arrivals.incrementAndGet();
  }

  /**
   * Logs a request as the latest one.
   *
   * @param r the request
   */
  public synchronized void add(LoggedRequest r) {
    add(arrived(), r);
  }

  /**
   * Waits (up to 2 s) until every request that has arrived is logged. The server logs a request
   * after sending its answer, so a client reading the log right after an answer would otherwise
   * race the server's handler thread.
   */
  private void awaitLogged() {
    long deadline = System.currentTimeMillis() + AWAIT_MS;
    while (done < arrivals.get()) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        return; // a request still being answered (latency, a hung fault): read what is there
      }
      try {
        wait(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Logs a request in the place of its arrival number (normally last; a few back at most).
   *
   * @param seq the number {@link #arrived()} gave
   * @param r the request
   */
  public synchronized void add(long seq, LoggedRequest r) {
    done++;
    notifyAll();
    if (seq <= clearedAt) {
      return; // arrived before clear(), answered (and logged) after it
    }
    ArrayDeque<LoggedRequest> laterEntries = new ArrayDeque<>();
    ArrayDeque<Long> laterSeqs = new ArrayDeque<>();
    while (!seqs.isEmpty() && seqs.peekLast() > seq) {
      laterSeqs.addFirst(seqs.removeLast());
      laterEntries.addFirst(entries.removeLast());
    }
    entries.addLast(r);
    seqs.addLast(seq);
    entries.addAll(laterEntries);
    seqs.addAll(laterSeqs);
    while (entries.size() > capacity) {
      entries.removeFirst();
      seqs.removeFirst();
    }
  }

  /**
   * The logged requests, oldest first, once those being handled are logged.
   *
   * @return a copy
   */
  public synchronized List<LoggedRequest> all() {
    awaitLogged();
    return new ArrayList<>(entries);
  }

  /**
   * Requests whose path matches (contains) the regex.
   *
   * @param method the HTTP method, or null for any
   * @param pathRegex a regex the path must contain a match of
   * @return the requests, oldest first
   */
  public List<LoggedRequest> matching(String method, String pathRegex) {
    return filter(methodAndPath(method, pathRegex));
  }

  /** Any method when {@code method} is null; the path contains a match of the regex. */
  private static Predicate<LoggedRequest> methodAndPath(String method, String pathRegex) {
    java.util.regex.Pattern p = java.util.regex.Pattern.compile(pathRegex);
    return r -> (method == null || method.equalsIgnoreCase(r.method())) && p.matcher(r.path()).find();
  }

  /**
   * The logged requests that pass a test, oldest first.
   *
   * @param pred the test
   * @return the requests
   */
  public synchronized List<LoggedRequest> filter(Predicate<LoggedRequest> pred) {
    awaitLogged();
    return select(pred);
  }

  /**
   * Like {@link #matching}, but first waits (up to 10 s) until at least {@code atLeast} such
   * requests are logged: for requests a client may still be sending when the test reads the log
   * (a background flush, a streaming writer). Returns what is there when the time is up, so the
   * caller's assertion says how many came.
   *
   * @param method the HTTP method, or null for any
   * @param pathRegex a regex the path must contain a match of
   * @param atLeast how many to wait for
   * @return the requests, oldest first
   */
  public List<LoggedRequest> awaitMatching(String method, String pathRegex, int atLeast) {
    return awaitMatching(method, pathRegex, atLeast, AWAIT_MATCHING);
  }

  /**
   * {@link #awaitMatching(String, String, int)} with another time limit.
   *
   * @param method the HTTP method, or null for any
   * @param pathRegex a regex the path must contain a match of
   * @param atLeast how many to wait for
   * @param timeout the most to wait
   * @return the requests, oldest first
   */
  public synchronized List<LoggedRequest> awaitMatching(String method, String pathRegex, int atLeast, Duration timeout) {
    Predicate<LoggedRequest> pred = methodAndPath(method, pathRegex);
    long deadline = System.nanoTime() + timeout.toNanos();
    awaitLogged();
    List<LoggedRequest> found = select(pred);
    while (found.size() < atLeast) {
      long leftMs = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (leftMs <= 0) {
        break;
      }
      try {
        wait(leftMs); // add() notifies on every logged request
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      found = select(pred);
    }
    return found;
  }

  private List<LoggedRequest> select(Predicate<LoggedRequest> pred) {
    List<LoggedRequest> out = new ArrayList<>();
    for (LoggedRequest r : entries) {
      if (pred.test(r)) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * The latest logged request.
   *
   * @return the request, or null when none was logged
   */
  public synchronized LoggedRequest last() {
    awaitLogged();
    return entries.peekLast();
  }

  /**
   * How many requests the log holds.
   *
   * @return the count, at most the capacity
   */
  public synchronized int size() {
    awaitLogged();
    return entries.size();
  }

  /** Forgets every request that arrived so far, including those still being answered. */
  public synchronized void clear() {
    clearedAt = arrivals.get();
    entries.clear();
    seqs.clear();
  }
}
