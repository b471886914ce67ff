package io.scrapinghubio.cli.export;

import io.scrapinghubio.beam.read.ScrapinghubRead;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import io.scrapinghubio.cli.progress.LiveCounts;
import io.scrapinghubio.cli.progress.ProgressDisplay;
import io.scrapinghubio.cli.run.JsonLinesFiles;
import io.scrapinghubio.cli.run.PipelineCounters;
import io.scrapinghubio.cli.run.StagedRun;
import java.io.PrintWriter;
import java.time.Duration;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Bulk export: every item of the selected jobs, read in parallel by {@code ScrapinghubIO.read()},
 * written as sharded JSON-lines files into an output directory that appears only once the export
 * has completed.
 */
public final class ExportPipeline {
  /**
   * How often each worker JVM's connector logs its own progress line; the command shows its own
   * display, and these lines only with {@code --verbose}.
   */
  private static final Duration WORKER_PROGRESS_INTERVAL = Duration.ofSeconds(5);

  private final ScrapinghubRead<ScrapinghubRecord> read;
  private final int shards;

  /**
   * @param selection the jobs to read and how to reach them, e.g.
   *     {@code ScrapinghubIO.read().withConnection(c).withProject(123)}
   * @param shards number of files; 0 lets the runner choose
   */
  public ExportPipeline(ScrapinghubRead<ScrapinghubRecord> selection, int shards) {
    this.read = selection.withProgressInterval(WORKER_PROGRESS_INTERVAL);
    this.shards = shards;
  }

  /** Runs the export into {@code output} (committed on success, removed on failure or Ctrl-C). */
  public ExportSummary run(PipelineOptions options, ExportDirectory output, LiveCounts counts,
      ProgressDisplay progress, PrintWriter err) {
    return run(options, output, counts, progress, err, () -> {});
  }

  /**
   * As {@link #run(PipelineOptions, ExportDirectory, LiveCounts, ProgressDisplay, PrintWriter)},
   * calling {@code beforeRun} once the pipeline is built: the last moment to change {@code options}.
   */
  ExportSummary run(PipelineOptions options, ExportDirectory output, LiveCounts counts,
      ProgressDisplay progress, PrintWriter err, Runnable beforeRun) {
    Pipeline p = Pipeline.create(options);
    JsonLinesFiles.write(p.apply("ReadItems", read), output, shards, counts);
    beforeRun.run();
    StagedRun.Completed done = StagedRun.run(p, output, progress, err);
    PipelineCounters c = PipelineCounters.of(done.result());
    return new ExportSummary(c.get("read_jobs"), c.get("read_records"), c.get("read_bytes"), done.seconds(),
        output.output());
  }
}
