package io.scrapinghubio.emulator.log;

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

  public RequestLog(int capacity) {
    this.capacity = capacity;
  }

  /** A number for a request that just arrived; pass it to {@link #add(long, LoggedRequest)} when done. */
  public long arrived() {
    return arrivals.incrementAndGet();
  }

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

  /** Logs a request in the place of its arrival number (normally last; a few back at most). */
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

  public synchronized List<LoggedRequest> all() {
    awaitLogged();
    return new ArrayList<>(entries);
  }

  /** Requests whose path matches (contains) the regex. */
  public List<LoggedRequest> matching(String method, String pathRegex) {
    java.util.regex.Pattern p = java.util.regex.Pattern.compile(pathRegex);
    return filter(r -> (method == null || method.equalsIgnoreCase(r.method())) && p.matcher(r.path()).find());
  }

  public synchronized List<LoggedRequest> filter(Predicate<LoggedRequest> pred) {
    awaitLogged();
    List<LoggedRequest> out = new ArrayList<>();
    for (LoggedRequest r : entries) {
      if (pred.test(r)) {
        out.add(r);
      }
    }
    return out;
  }

  public synchronized LoggedRequest last() {
    awaitLogged();
    return entries.peekLast();
  }

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
