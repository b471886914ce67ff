package io.scrapinghubio.examples;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Rows and failures of one running load, counted where they pass, for the driver's progress line.
 *
 * <p>Beam's metrics are no use for a live line: embedded Flink hands them over only once a batch job
 * has ended. On the Direct runner and embedded Flink the counting steps run in the driver's JVM and
 * find this object by its id (the steps are serialised into the pipeline; the counts are not). On a
 * remote cluster nothing is counted here and the cluster's UI shows progress; the final summary
 * comes from Beam's metrics either way.
 */
final class LoadProgress implements AutoCloseable {
  private static final Map<String, LoadProgress> RUNNING = new ConcurrentHashMap<>();

  private final String id = UUID.randomUUID().toString();
  private final LongAdder rows = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final long startNanos = System.nanoTime();
  private ScheduledExecutorService timer;

  static LoadProgress open() {
    LoadProgress p = new LoadProgress();
    RUNNING.put(p.id, p);
    return p;
  }

  String id() {
    return id;
  }

  /** The load {@code id} if it runs in this JVM, else null. */
  static LoadProgress inThisJvm(String id) {
    return RUNNING.get(id);
  }

  void row() {
    rows.increment();
  }

  void failure() {
    failures.increment();
  }

  /** Prints a line every {@code seconds} while something changed, until {@link #close()}. */
  void report(long seconds, long plannedJobs, Consumer<String> out) {
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "items-to-postgres-progress");
      t.setDaemon(true);
      return t;
    });
    long[] last = {-1, 0};
    timer.scheduleAtFixedRate(() -> {
      long r = rows.sum();
      long f = failures.sum();
      if (r == last[0] && f == last[1]) {
        return;
      }
      double elapsed = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
      out.accept(String.format("ItemsToPostgres: %,d rows to PostgreSQL from %,d jobs (%.0f rows/s overall), %,d failures",
          r, plannedJobs, r / elapsed, f));
      last[0] = r;
      last[1] = f;
    }, seconds, seconds, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
    RUNNING.remove(id, this);
  }
}
