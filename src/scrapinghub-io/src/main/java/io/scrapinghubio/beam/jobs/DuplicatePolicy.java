package io.scrapinghubio.beam.jobs;

/**
 * What {@code scheduleJobs()} does when the service answers DuplicateJob (the same spider with the
 * same arguments is already pending or running).
 */
public enum DuplicatePolicy {
  /**
   * A {@code DUPLICATE_JOB} failure: a bad record to the {@code withBadRecordErrorHandler}'s
   * handler, or, without one, the pipeline fails naming the request.
   */
  FAIL,
  /** Drop the request (counted in the {@code jobs_duplicates_skipped} metric). */
  SKIP,
  /**
   * Emit the job that is already pending or running (found by spider and arguments, outcome
   * {@link ScheduledJob.Outcome#EXISTING}); it gets the request's dedupe tag so retries find it.
   */
  RETURN_EXISTING
}
