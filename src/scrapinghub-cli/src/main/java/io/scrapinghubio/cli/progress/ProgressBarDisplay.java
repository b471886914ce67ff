package io.scrapinghubio.cli.progress;

import java.io.PrintStream;
import java.text.DecimalFormat;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * A live progress bar on the terminal (me.tongfei:progressbar): items written of items planned,
 * elapsed time and ETA, items/s, and MB written. Until the total is known the bar runs without
 * one, then takes it.
 */
final class ProgressBarDisplay implements ProgressDisplay {
  private static final int REFRESH_MILLIS = 250;

  private final PrintStream terminal;
  private final LiveCounts counts;
  private final String task;
  private ProgressBar bar;
  private ScheduledExecutorService poller;

  ProgressBarDisplay(PrintStream terminal, LiveCounts counts, String task) {
    this.terminal = terminal;
    this.counts = counts;
    this.task = task;
  }

  @Override
  public synchronized void start() {
    bar = new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(counts.plannedItems())
        .setUnit(" " + counts.noun() + "s", 1)
        .showSpeed(new DecimalFormat("#,##0"))
        .setSpeedUnit(ChronoUnit.SECONDS)
        .setUpdateIntervalMillis(REFRESH_MILLIS)
        // redraw even while nothing is written yet (runner start-up, listing), so the clock moves
        .continuousUpdate()
        .setEtaFunction(state -> counts.eta())
        .setConsumer(new ConsoleProgressBarConsumer(terminal))
        .build();
    poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "scrapinghub-cli-progress-bar");
      t.setDaemon(true);
      return t;
    });
    poller.scheduleAtFixedRate(this::update, REFRESH_MILLIS, REFRESH_MILLIS, TimeUnit.MILLISECONDS);
  }

  private synchronized void update() {
    if (bar == null) {
      return;
    }
    long planned = counts.plannedItems();
    if (planned >= 0 && bar.getMax() != planned) {
      bar.maxHint(planned);
    }
    bar.stepTo(counts.items());
    String jobs = counts.jobsProgress();
    // The bar leaves a few columns of an 80-column terminal to this message: the lines' wording is too long.
    String waiting = counts.waitingFor().isEmpty() ? "" : counts.plannedItems() < 0 ? "listing jobs" : "starting up";
    bar.setExtraMessage(!waiting.isEmpty() ? " " + waiting
        : (counts.shownBytes() < 0 ? "" : String.format(java.util.Locale.ROOT, " %.1f MB", counts.bytes() / 1e6))
            + (jobs.isEmpty() ? "" : ", " + jobs.substring(0, jobs.length() - 2)) + counts.lag());
  }

  @Override
  public synchronized void close() {
    if (poller != null) {
      poller.shutdownNow();
      poller = null;
    }
    if (bar != null) {
      update();
      bar.close();
      bar = null;
    }
  }
}
