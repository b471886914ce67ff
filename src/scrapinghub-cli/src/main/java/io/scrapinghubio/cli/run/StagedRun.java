package io.scrapinghubio.cli.run;

import io.scrapinghubio.cli.console.RunFailure;
import io.scrapinghubio.cli.progress.ProgressDisplay;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.Predicate;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;

/**
 * Runs a pipeline that writes into a staged {@link StagedOutput}: its files are published only
 * once the pipeline has completed; a failure, Ctrl-C or SIGTERM (a JVM shutdown hook) removes the
 * staged files (a resumable export keeps its committed parts: see {@link
 * LocalStagedOutput#prepareResumable}) and leaves whatever was at the output before untouched. A run killed outright
 * (kill -9) cannot clean up: the next run of the same local output removes what it left (see
 * {@link StagingDirs}); an object store's staging prefix stays (see README).
 */
public final class StagedRun {
  /**
   * A completed pipeline and how long it ran.
   *
   * @param committed whether its files became the output (see {@link #run(Pipeline, StagedOutput,
   *     ProgressDisplay, PrintWriter, Predicate)})
   */
  public record Completed(PipelineResult result, double seconds, boolean committed) {}

  /** How long a stopping process keeps removing the staged directory while the pipeline's writers wind down. */
  private static final Duration STOP_CLEANUP = Duration.ofSeconds(3);

  private StagedRun() {}

  public static Completed run(Pipeline pipeline, StagedOutput output, ProgressDisplay progress, PrintWriter err) {
    return run(pipeline, output, progress, err, result -> true);
  }

  /**
   * As {@link #run(Pipeline, StagedOutput, ProgressDisplay, PrintWriter)}, the completed
   * pipeline's files becoming the output only if {@code commitIf} says so (else they are removed and
   * the output is left as it was): a crawl whose every job failed leaves no empty directory.
   */
  public static Completed run(Pipeline pipeline, StagedOutput output, ProgressDisplay progress, PrintWriter err,
      Predicate<PipelineResult> commitIf) {
    output.beginRun(err);
    Thread onStop = new Thread(() -> {
      progress.close();
      output.releaseRun();
      boolean abandoned = output.abandonWhileRunning(STOP_CLEANUP);
      err.println();
      err.println(!abandoned ? "Stopped after the export was published to " + output.output()
              + " (the publish was finished first)."
          : output.keptForResume() ? "Stopped: the pipeline was interrupted; " + output.output() + " was not written. "
              + "The parts written so far are kept in " + output.unfinished() + ": run the same command again to "
              + "continue from them."
          : "Stopped: the pipeline was interrupted; its staged files are removed and " + output.output()
              + " was not written.");
      err.flush();
    }, "scrapinghub-cli-stop");
    Runtime.getRuntime().addShutdownHook(onStop);
    try {
      long start = System.nanoTime();
      progress.start();
      PipelineResult result = pipeline.run();
      PipelineResult.State state = result.waitUntilFinish();
      progress.close();
      if (state != PipelineResult.State.DONE) {
        throw new RunFailure("the pipeline ended in state " + state + " instead of DONE");
      }
      boolean commit = commitIf.test(result);
      output.releaseRun();
      if (commit) {
        output.commit();
      } else {
        output.abandon();
      }
      return new Completed(result, (System.nanoTime() - start) / 1e9, commit);
    } catch (RuntimeException | Error e) {
      progress.close();
      output.releaseRun();
      output.abandon();
      throw e;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(onStop);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run: it owns the clean-up
      }
      output.endRun();
    }
  }
}
