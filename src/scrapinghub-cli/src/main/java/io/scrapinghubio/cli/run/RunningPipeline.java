package io.scrapinghubio.cli.run;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.beam.sdk.PipelineResult;

/**
 * A pipeline started without waiting for its end (embedded Flink with {@code --attachedMode=false},
 * the Direct runner with {@code --blockOnRun=false}), so that the command can stop it: a
 * streaming job on Flink with checkpoints never ends by itself (Beam keeps its sources alive).
 */
public abstract class RunningPipeline {
  private final PipelineResult result;

  RunningPipeline(PipelineResult result) {
    this.result = result;
  }

  /** Wraps {@code result} as returned by {@code Pipeline.run()}. */
  public static RunningPipeline of(PipelineResult result) {
    CompletableFuture<?> flinkEnd = FlinkJob.endOf(result);
    return flinkEnd != null ? new FlinkJob(result, flinkEnd) : new Generic(result);
  }

  /** The result, for its metrics. */
  public PipelineResult result() {
    return result;
  }

  /**
   * Waits up to {@code wait} for the pipeline to end; true once it has. Throws the pipeline's
   * failure, with its cause, if it failed.
   */
  public abstract boolean awaitEnd(Duration wait);

  /** Cancels the pipeline and waits for it to stop, up to {@code wait}. */
  public abstract void cancel(Duration wait);

  /** Beam's result, whichever runner it was. */
  private static final class Generic extends RunningPipeline {
    Generic(PipelineResult result) {
      super(result);
    }

    @Override
    public boolean awaitEnd(Duration wait) {
      // The Direct runner's result throws the pipeline's failure from here, cause included.
      PipelineResult.State s = result().waitUntilFinish(org.joda.time.Duration.millis(Math.max(1, wait.toMillis())));
      if (s == null || !s.isTerminal()) {
        return false;
      }
      if (s != PipelineResult.State.DONE) {
        throw new IllegalStateException("the pipeline ended in state " + s + " instead of DONE");
      }
      return true;
    }

    @Override
    public void cancel(Duration wait) {
      try {
        result().cancel();
        result().waitUntilFinish(org.joda.time.Duration.millis(wait.toMillis()));
      } catch (Exception e) {
        // already ended, or ending: nothing more to stop
      }
    }
  }

  /**
   * Beam's detached Flink result, through its Flink {@code JobClient}: Beam's own waits poll every
   * few seconds and drop the failure's cause, which the job client's execution result keeps.
   */
  private static final class FlinkJob extends RunningPipeline {
    private final CompletableFuture<?> end;

    FlinkJob(PipelineResult result, CompletableFuture<?> end) {
      super(result);
      this.end = end;
    }

    /** The future of the job's execution result, or null if {@code result} is not a detached Flink one. */
    static CompletableFuture<?> endOf(PipelineResult result) {
      if (!result.getClass().getName().equals("org.apache.beam.runners.flink.FlinkDetachedRunnerResult")) {
        return null;
      }
      try {
        Field f = result.getClass().getDeclaredField("jobClient");
        f.setAccessible(true);
        return ((org.apache.flink.core.execution.JobClient) f.get(result)).getJobExecutionResult();
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null; // another Beam version: fall back to Beam's own result
      }
    }

    @Override
    public boolean awaitEnd(Duration wait) {
      try {
        end.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        return true;
      } catch (TimeoutException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the pipeline", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("the pipeline failed: " + e.getCause(), e.getCause());
      }
    }

    @Override
    public void cancel(Duration wait) {
      try {
        result().cancel();
      } catch (Exception e) {
        // Beam asks the cancelled job's state, which the stopped cluster may no longer answer
      }
      try {
        end.get(wait.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        // a cancelled job's execution result is an exception: expected
      }
    }
  }
}
