package io.scrapinghubio.cli.progress;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A progress line every few seconds, for logs and pipes where a redrawn bar would be noise:
 * {@code Progress: 12,000 of 40,000 items (30%), 16.8 MB, 4,100 items/s, ETA 7s}; a crawl's line
 * starts with its jobs, {@code Progress: 1 of 3 jobs finished, 25 items, ...}.
 */
final class ProgressLines implements ProgressDisplay {
  private final PrintWriter out;
  private final LiveCounts counts;
  private final int seconds;
  private ScheduledExecutorService timer;
  private long lastItems;
  private long lastNanos;

  ProgressLines(PrintWriter out, LiveCounts counts, int seconds) {
    this.out = out;
    this.counts = counts;
    this.seconds = seconds;
  }

  @Override
  public synchronized void start() {
    lastNanos = System.nanoTime();
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "scrapinghub-cli-progress");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(this::print, seconds, seconds, TimeUnit.SECONDS);
  }

  private synchronized void print() {
    long now = System.nanoTime();
    long items = counts.items();
    String waiting = counts.waitingFor();
    out.println(waiting.isEmpty()
        ? line(counts.jobsProgress(), items, counts.plannedItems(), counts.shownBytes(),
            (items - lastItems) / secondsBetween(lastNanos, now),
            counts.eta().map(d -> d.toMillis() / 1000.0).orElse(-1.0), counts.noun()) + counts.lag()
        : waitingLine(counts.plannedJobs(), counts.plannedItems(), waiting, counts.noun()));
    out.flush();
    lastItems = items;
    lastNanos = now;
  }

  /** One progress line; {@code planned} and {@code etaSeconds} -1 while unknown; {@code jobs} "" unless a crawl. */
  static String line(String jobs, long items, long planned, long bytes, double itemsPerSecondNow, double etaSeconds) {
    return line(jobs, items, planned, bytes, itemsPerSecondNow, etaSeconds, "item");
  }

  /** As above, counting {@code noun}s ("item", "log line"...); {@code bytes} -1 leaves the MB out. */
  static String line(String jobs, long items, long planned, long bytes, double itemsPerSecondNow, double etaSeconds,
      String noun) {
    StringBuilder s = new StringBuilder("Progress: ").append(jobs).append(String.format(Locale.ROOT, "%,d", items));
    if (planned >= 0) {
      s.append(String.format(Locale.ROOT, " of %,d %ss (%d%%)", planned, noun,
          planned == 0 ? 100 : Math.min(100, items * 100 / planned)));
    } else {
      s.append(items == 1 ? " " + noun : " " + noun + "s");
    }
    if (bytes >= 0) {
      s.append(String.format(Locale.ROOT, ", %.1f MB", bytes / 1e6));
    }
    s.append(String.format(Locale.ROOT, ", %,.0f %ss/s", itemsPerSecondNow, noun));
    if (planned > items && etaSeconds >= 0) {
      s.append(", ETA ").append(eta(etaSeconds));
    }
    return s.toString();
  }

  /** Before the first item: {@code Progress: 0 of 40,000 items in 20 jobs: starting embedded Flink and reading the first pages}. */
  static String waitingLine(long plannedJobs, long plannedItems, String waitingFor) {
    return waitingLine(plannedJobs, plannedItems, waitingFor, "item");
  }

  static String waitingLine(long plannedJobs, long plannedItems, String waitingFor, String noun) {
    return "Progress: 0" + (plannedItems >= 0 ? String.format(Locale.ROOT, " of %,d %ss", plannedItems, noun) : " " + noun + "s")
        + (plannedJobs >= 0 ? " in " + io.scrapinghubio.cli.console.Counted.of(plannedJobs, "job") : "") + ": " + waitingFor;
  }

  /** e.g. 7s, 3m05s, 1h02m. */
  static String eta(double seconds) {
    long s = Math.round(Math.ceil(seconds));
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
  }

  private static double secondsBetween(long fromNanos, long toNanos) {
    return Math.max(1e-3, (toNanos - fromNanos) / 1e9);
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }
}
