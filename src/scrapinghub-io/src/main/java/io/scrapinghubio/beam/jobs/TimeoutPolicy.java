package io.scrapinghubio.beam.jobs;

/** What {@code awaitJobs()} does with a job that has not reached the target state when the timeout expires. */
public enum TimeoutPolicy {
  /**
   * A {@code TIMEOUT} failure: a bad record to the {@code withBadRecordErrorHandler}'s handler, or,
   * without one, the pipeline fails naming the job.
   */
  FAIL,
  /** Emit the job's last status to the {@code timedOut()} output. */
  EMIT,
  /** Cancel the job, then emit its status to the {@code timedOut()} output. */
  CANCEL
}
