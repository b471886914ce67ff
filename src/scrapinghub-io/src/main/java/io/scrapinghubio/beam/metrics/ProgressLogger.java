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
import org.slf4j.LoggerFactory;

/**
 * A periodic progress line per worker JVM and transform, in the spirit of Scrapy's LogStats:
 * {@code ScrapinghubIO read: 1200000 records (at 41000/s), 1680.0 MB (at 57.4 MB/s), 1210
 * requests, avg latency 12.3 ms, 2 retries {429=2}}. Sums every client of that transform in the
 * JVM (one per DoFn instance); logs only when something changed.
 */
public final class ProgressLogger {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressLogger.class);
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "scrapinghub-io-progress");
    t.setDaemon(true);
    return t;
  });
  private static final Map<String, Group> GROUPS = new ConcurrentHashMap<>();

  private ProgressLogger() {}

  /** Starts reporting {@code stats} under {@code name} every {@code interval}. */
  public static synchronized void register(String name, ClientStats stats, Duration interval) {
    Group g = GROUPS.computeIfAbsent(name, n -> new Group(n, interval));
    g.members.add(stats);
  }

  public static synchronized void unregister(String name, ClientStats stats) {
    Group g = GROUPS.get(name);
    if (g == null) {
      return;
    }
    g.retired.add(stats);
    g.members.remove(stats);
    if (g.members.isEmpty()) {
      g.report(); // final line for this transform
      g.task.cancel(false);
      GROUPS.remove(name);
    }
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
      long records = 0;
      long bytes = 0;
      long requests = 0;
      long retries = 0;
      double latencySum = 0;
      Map<Integer, Long> byStatus = new TreeMap<>();
      for (Set<ClientStats> set : java.util.List.of(members, retired)) {
        for (ClientStats s : set) {
          records += s.records();
          bytes += s.bytes();
          requests += s.requests();
          retries += s.retries();
          latencySum += s.averageLatencyMillis() * s.requests();
          s.retriesByStatus().forEach((k, v) -> byStatus.merge(k, v, Long::sum));
        }
      }
      long now = System.nanoTime();
      double secs = (now - lastNanos) / 1e9;
      if (records == lastRecords && bytes == lastBytes) {
        return;
      }
      LOG.info(String.format(
          "ScrapinghubIO %s: %d records (at %.0f/s), %.1f MB (at %.1f MB/s), %d requests, avg latency %.1f ms, %d retries %s",
          name, records, (records - lastRecords) / secs, bytes / 1e6, (bytes - lastBytes) / 1e6 / secs,
          requests, requests == 0 ? 0 : latencySum / requests, retries, byStatus));
      lastRecords = records;
      lastBytes = bytes;
      lastNanos = now;
    }
  }
}
