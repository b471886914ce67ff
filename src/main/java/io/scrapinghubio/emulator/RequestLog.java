package io.scrapinghubio.emulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The most recent requests (bounded ring buffer), oldest first. */
public final class RequestLog {
  private final int capacity;
  private final ArrayDeque<LoggedRequest> entries = new ArrayDeque<>();

  public RequestLog(int capacity) {
    this.capacity = capacity;
  }

  public synchronized void add(LoggedRequest r) {
    if (entries.size() == capacity) {
      entries.removeFirst();
    }
    entries.addLast(r);
  }

  public synchronized List<LoggedRequest> all() {
    return new ArrayList<>(entries);
  }

  /** Requests whose path matches (contains) the regex. */
  public List<LoggedRequest> matching(String method, String pathRegex) {
    java.util.regex.Pattern p = java.util.regex.Pattern.compile(pathRegex);
    return filter(r -> (method == null || method.equalsIgnoreCase(r.method())) && p.matcher(r.path()).find());
  }

  public synchronized List<LoggedRequest> filter(Predicate<LoggedRequest> pred) {
    List<LoggedRequest> out = new ArrayList<>();
    for (LoggedRequest r : entries) {
      if (pred.test(r)) {
        out.add(r);
      }
    }
    return out;
  }

  public synchronized LoggedRequest last() {
    return entries.peekLast();
  }

  public synchronized int size() {
    return entries.size();
  }

  public synchronized void clear() {
    entries.clear();
  }
}
