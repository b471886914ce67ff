package io.scrapinghubio.beam.jobs;

/** What {@code awaitJobs()} does with a job that has not reached the target state when the timeout expires. */
public enum TimeoutPolicy {
  /** Emit a {@link JobFailure.Kind#TIMEOUT} failure (or fail the pipeline with {@code withFailOnError}). */
  FAIL,
  /** Emit the job's last status to the {@code timedOut()} output. */
  EMIT,
  /** Cancel the job, then emit its status to the {@code timedOut()} output. */
  CANCEL
}
