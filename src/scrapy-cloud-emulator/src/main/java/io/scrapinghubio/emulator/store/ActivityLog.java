package io.scrapinghubio.emulator.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/** Project activity events ({@code activity/P}): append-only, read newest first. */
public final class ActivityLog {

  /** One event and the time it was posted ({@code meta=_ts}). */
  public record Event(Map<String, Object> data, long ts) {}

  private final LongSupplier clock;
  private final List<Event> events = new ArrayList<>();

  ActivityLog(LongSupplier clock) {
    this.clock = clock;
  }

  /**
   * Posts events, all stamped with the current time, as {@code POST activity/P} does.
   *
   * @param batch the events, each a JSON object
   */
  public synchronized void add(List<Map<String, Object>> batch) {
    long now = clock.getAsLong();
    for (Map<String, Object> e : batch) {
      events.add(new Event(new LinkedHashMap<>(e), now));
    }
  }

  /**
   * All events, newest first.
   *
   * @return the events, a copy
   */
  public synchronized List<Event> newestFirst() {
    List<Event> out = new ArrayList<>(events.size());
    for (int i = events.size() - 1; i >= 0; i--) {
      out.add(events.get(i));
    }
    return out;
  }

  /**
   * How many events were posted.
   *
   * @return the event count
   */
  public synchronized int size() {
    return events.size();
  }
}
