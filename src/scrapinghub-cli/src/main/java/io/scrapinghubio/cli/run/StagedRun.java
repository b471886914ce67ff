package io.scrapinghubio.cli.run;

import io.scrapinghubio.cli.RunFailure;
import io.scrapinghubio.cli.export.ExportDirectory;
import io.scrapinghubio.cli.progress.ProgressDisplay;
import java.io.PrintWriter;
import java.time.Duration;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;

/**
 * Runs a pipeline that writes into a staged {@link ExportDirectory}: the directory is swapped in
 * only once the pipeline has completed; a failure, or Ctrl-C (a JVM shutdown hook), removes the
 * staged files and leaves whatever was at the output before untouched.
 */
public final class StagedRun {
  /** A completed pipeline and how long it ran. */
  public record Completed(PipelineResult result, double seconds) {}

  /** How long a stopping process keeps removing the staged directory while the pipeline's writers wind down. */
  private static final Duration STOP_CLEANUP = Duration.ofSeconds(3);

  private StagedRun() {}

  public static Completed run(Pipeline pipeline, ExportDirectory output, ProgressDisplay progress, PrintWriter err) {
    Thread onCtrlC = new Thread(() -> {
      progress.close();
      output.abandonWhileRunning(STOP_CLEANUP);
      err.println();
      err.println("Stopped: the pipeline was interrupted; its staged files are removed and "
          + output.output() + " was not written.");
      err.flush();
    }, "scrapinghub-cli-stop");
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    try {
      long start = System.nanoTime();
      progress.start();
      PipelineResult result = pipeline.run();
      PipelineResult.State state = result.waitUntilFinish();
      progress.close();
      if (state != PipelineResult.State.DONE) {
        throw new RunFailure("the pipeline ended in state " + state + " instead of DONE");
      }
      output.commit();
      return new Completed(result, (System.nanoTime() - start) / 1e9);
    } catch (RuntimeException | Error e) {
      progress.close();
      output.abandon();
      throw e;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(onCtrlC);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run: it owns the clean-up
      }
    }
  }
}
