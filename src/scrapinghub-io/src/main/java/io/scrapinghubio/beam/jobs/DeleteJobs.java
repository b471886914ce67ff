package io.scrapinghubio.beam.jobs;

import io.scrapinghubio.beam.connection.ScrapinghubConnection;

/**
 * {@code ScrapinghubIO.deleteJobs()}: moves the jobs whose keys arrive to state {@code deleted}
 * ({@code jobq/P/update}); deleting twice is harmless. An unknown job is a {@code NOT_FOUND} failure.
 */
public final class DeleteJobs extends JobAction<DeleteJobs> {
  private static final long serialVersionUID = 1L;

  private DeleteJobs(ScrapinghubConnection connection, boolean failOnError) {
    super(connection, failOnError);
  }

  /** Use {@code ScrapinghubIO.deleteJobs()}. */
  public static DeleteJobs create() {
    return new DeleteJobs(ScrapinghubConnection.create(), false);
  }

  @Override
  DeleteJobs with(ScrapinghubConnection connection, boolean failOnError) {
    return new DeleteJobs(connection, failOnError);
  }

  @Override
  JobActionFn.Action action() {
    return JobActionFn.Action.DELETE;
  }
}
