package io.scrapinghubio.cli.progress;

import io.scrapinghubio.cli.console.CliContext;
import io.scrapinghubio.cli.options.ProgressOptions;

/** Shows a running command's {@link LiveCounts}: started with the pipeline, stopped when it ends. */
public interface ProgressDisplay extends AutoCloseable {
  void start();

  /** Stops showing progress; the last state stays on screen. Safe to call twice and from a shutdown hook. */
  @Override
  void close();

  /** The display {@code options} ask for, on {@code context}'s streams. */
  static ProgressDisplay create(ProgressOptions options, CliContext context, LiveCounts counts, boolean remote,
      String task) {
    ProgressOptions.Mode mode = options.mode;
    if (mode == ProgressOptions.Mode.none) {
      return new Silent();
    }
    if (remote) {
      // The workers count in their own JVMs: this one would only ever show zeros.
      context.out().println("Progress: see the Flink cluster's web UI; the summary follows when the job ends.");
      return new Silent();
    }
    boolean bar = mode == ProgressOptions.Mode.bar || (mode == ProgressOptions.Mode.auto && context.interactive());
    if (bar && context.terminal() != null) {
      return new ProgressBarDisplay(context.terminal(), counts, task);
    }
    return new ProgressLines(context.out(), counts, options.seconds);
  }

  /** Shows nothing. */
  final class Silent implements ProgressDisplay {
    @Override
    public void start() {}

    @Override
    public void close() {}
  }
}
