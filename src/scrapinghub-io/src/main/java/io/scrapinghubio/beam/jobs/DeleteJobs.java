package io.scrapinghubio.beam.jobs;

import io.scrapinghubio.client.core.ClientConfig;

/**
 * {@code ScrapinghubIO.deleteJobs()}: moves the jobs whose keys arrive to state {@code deleted}
 * ({@code jobq/P/update}); deleting twice is harmless. An unknown job is a {@code NOT_FOUND} failure.
 */
public final class DeleteJobs extends JobAction<DeleteJobs> {
  private static final long serialVersionUID = 1L;

  private DeleteJobs(ClientConfig config, boolean failOnError) {
    super(config, failOnError);
  }

  /** Use {@code ScrapinghubIO.deleteJobs()}. */
  public static DeleteJobs create() {
    return new DeleteJobs(ClientConfig.builder().build(), false);
  }

  @Override
  DeleteJobs with(ClientConfig config, boolean failOnError) {
    return new DeleteJobs(config, failOnError);
  }

  @Override
  JobActionFn.Action action() {
    return JobActionFn.Action.DELETE;
  }
}
