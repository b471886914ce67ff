package io.scrapinghubio.beam.metrics;

import io.scrapinghubio.client.metrics.ClientStats;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.apache.beam.sdk.annotations.Internal;
import org.slf4j.LoggerFactory;

/**
 * A periodic progress line per worker JVM and transform, in the spirit of Scrapy's LogStats:
 * {@code ScrapinghubIO read: 1200000 records (at 41000/s), 1680.0 MB (at 57.4 MB/s), 1210
 * requests, avg latency 12.3 ms, 2 retries {429=2}}. Sums every client of that transform in the
 * JVM (one per DoFn instance); logs only when something changed.
 */
@Internal
public final class ProgressLogger {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressLogger.class);
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "scrapinghub-io-progress");
    t.setDaemon(true);
    return t;
  });
  private static final Map<String, Group> GROUPS = new ConcurrentHashMap<>();
  /** Store time ({@code _ts}) of the newest record a continuous read emitted, per transform in this JVM. */
  private static final Map<String, java.util.concurrent.atomic.AtomicLong> NEWEST = new ConcurrentHashMap<>();

  private ProgressLogger() {}

  /**
   * Notes that transform {@code name} emitted a record stored at {@code tsMillis}: its progress
   * lines then say the lag, now minus the newest store time seen.
   *
   * @param name the transform's progress name
   * @param tsMillis the record's store time, epoch milliseconds
   */
  public static void newestRecord(String name, long tsMillis) {
    NEWEST.computeIfAbsent(name, n -> new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE)).accumulateAndGet(tsMillis, Math::max);
  }

  /** {@code ", lag 1.2 s"} for a continuous read that emitted records, else empty. */
  static String lag(String name) {
    java.util.concurrent.atomic.AtomicLong n = NEWEST.get(name);
    if (n == null || n.get() == Long.MIN_VALUE) {
      return "";
    }
    return String.format(java.util.Locale.ROOT, ", lag %.1f s", Math.max(0, System.currentTimeMillis() - n.get()) / 1000.0);
  }

  /**
   * Starts reporting {@code stats} under {@code name} every {@code interval}.
   *
   * @param name the transform's progress name
   * @param stats a client's running totals
   * @param interval time between progress lines
   */
  public static synchronized void register(String name, ClientStats stats, Duration interval) {
    Group g = GROUPS.computeIfAbsent(name, n -> new Group(n, interval));
    g.members.add(stats);
  }

  /**
   * Stops reporting {@code stats} under {@code name}; when it was the last, logs a final line with
   * the transform's totals and forgets its {@link ReadPlan}, so that a later run of the same step
   * starts from nothing.
   *
   * @param name the transform's progress name
   * @param stats the totals given to {@link #register}
   */
  public static synchronized void unregister(String name, ClientStats stats) {
    Group g = GROUPS.get(name);
    if (g == null) {
      return;
    }
    g.retired.add(stats);
    g.members.remove(stats);
    if (g.members.isEmpty()) {
      g.report(true); // final line with the totals of this transform
      g.task.cancel(false);
      GROUPS.remove(name);
      ReadPlan.forget(name);
      NEWEST.remove(name);
    }
  }

  /**
   * {@code " of 1000 planned (40%, ETA 3s)"} once the read's plan is complete; while it is not, the
   * records planned so far are only a lower bound, and a percentage or an ETA from them would
   * mislead: {@code " of at least 600 planned"}. Empty when nothing is planned in this JVM.
   */
  static String planned(String name, long records, double rate) {
    ReadPlan plan = ReadPlan.of(name);
    if (plan == null || plan.records() <= 0) {
      return "";
    }
    long planned = plan.records();
    if (!plan.isComplete()) {
      return String.format(" of at least %d planned", planned);
    }
    return String.format(" of %d planned (%.0f%%%s)", planned, 100.0 * records / planned,
        rate <= 0 || records >= planned ? "" : String.format(", ETA %ds", Math.round((planned - records) / rate)));
  }

  private static final class Group {
    final String name;
    final Set<ClientStats> members = ConcurrentHashMap.newKeySet();
    final Set<ClientStats> retired = ConcurrentHashMap.newKeySet();
    final ScheduledFuture<?> task;
    final long startNanos = System.nanoTime();
    long lastRecords;
    long lastBytes;
    long lastNanos = startNanos;

    Group(String name, Duration interval) {
      this.name = name;
      long ms = Math.max(1000, interval.toMillis());
      this.task = TIMER.scheduleAtFixedRate(this::report, ms, ms, TimeUnit.MILLISECONDS);
    }

    synchronized void report() {
      report(false);
    }

    /**
     * One line for the interval since the previous line and for the whole run so far. Records and
     * their bytes are counted when readers hand them to the pipeline (writers: when the service
     * accepted them), so a line never runs ahead of what the pipeline has actually received.
     */
    synchronized void report(boolean last) {
      long records = 0;
      long bytes = 0;
      long requests = 0;
      long retries = 0;
      double latencySum = 0;
      Map<Integer, Long> byStatus = new TreeMap<>();
      for (Set<ClientStats> set : java.util.List.of(members, retired)) {
        for (ClientStats s : set) {
          records += s.records();
          // readers: JSON bytes of delivered records; writers: bytes on the wire
          bytes += s.recordBytes() > 0 ? s.recordBytes() : s.bytes();
          requests += s.requests();
          retries += s.retries();
          latencySum += s.averageLatencyMillis() * s.requests();
          s.retriesByStatus().forEach((k, v) -> byStatus.merge(k, v, Long::sum));
        }
      }
      long now = System.nanoTime();
      double secs = Math.max(1e-3, (now - lastNanos) / 1e9);
      double total = Math.max(1e-3, (now - startNanos) / 1e9);
      if (!last && records == lastRecords && bytes == lastBytes) {
        return;
      }
      String latency = String.format("avg latency %.1f ms", requests == 0 ? 0 : latencySum / requests);
      String retried = retries + (retries == 1 ? " retry" : " retries") + (byStatus.isEmpty() ? "" : " " + byStatus);
      if (last) {
        LOG.info(String.format("ScrapinghubIO %s done: %d records, %.1f MB in %.1f s (%.0f records/s, %.1f MB/s), "
            + "%d requests, %s, %s", name, records, bytes / 1e6, total, records / total, bytes / 1e6 / total,
            requests, latency, retried) + lag(name));
      } else {
        double rate = records / total;
        String of = planned(name, records, rate);
        LOG.info(String.format("ScrapinghubIO %s: %d records%s (%.0f/s now, %.0f/s overall), %.1f MB (%.1f MB/s now, "
            + "%.1f MB/s overall), %d requests, %s, %s", name, records, of, (records - lastRecords) / secs,
            rate, bytes / 1e6, (bytes - lastBytes) / 1e6 / secs, bytes / 1e6 / total, requests, latency,
            retried) + lag(name));
      }
      lastRecords = records;
      lastBytes = bytes;
      lastNanos = now;
    }
  }
}
