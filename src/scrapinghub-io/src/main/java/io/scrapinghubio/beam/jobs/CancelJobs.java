package io.scrapinghubio.beam.jobs;

import io.scrapinghubio.beam.connection.ScrapinghubConnection;

/**
 * {@code ScrapinghubIO.cancelJobs()}: cancels the jobs whose keys arrive ({@code jobq/P/S/J/cancel}).
 * A pending job is finished at once; a running one stops asynchronously with close reason
 * {@code cancelled} (await it with {@code awaitJobs()} if you need it stopped). Cancelling a
 * finished job does nothing: safe to retry.
 */
public final class CancelJobs extends JobAction<CancelJobs> {
  private static final long serialVersionUID = 1L;

  private CancelJobs(ScrapinghubConnection connection, boolean failOnError) {
    super(connection, failOnError);
  }

  /** Use {@code ScrapinghubIO.cancelJobs()}. */
  public static CancelJobs create() {
    return new CancelJobs(ScrapinghubConnection.create(), false);
  }

  @Override
  CancelJobs with(ScrapinghubConnection connection, boolean failOnError) {
    return new CancelJobs(connection, failOnError);
  }

  @Override
  JobActionFn.Action action() {
    return JobActionFn.Action.CANCEL;
  }
}
