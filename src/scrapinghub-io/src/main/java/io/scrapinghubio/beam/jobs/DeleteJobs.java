package io.scrapinghubio.beam.jobs;

import com.google.auto.value.AutoValue;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code ScrapinghubIO.deleteJobs()}: moves the jobs whose keys arrive to state {@code deleted}
 * ({@code jobq/P/update}); deleting twice is harmless. An unknown job is a {@code NOT_FOUND} failure.
 */
@AutoValue
public abstract class DeleteJobs extends JobAction<DeleteJobs> {
  private static final long serialVersionUID = 1L;

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setConnection(ScrapinghubConnection c);

    abstract Builder setBadRecordErrorHandler(@Nullable ErrorHandler<BadRecord, ?> h);

    abstract DeleteJobs build();
  }

  /**
   * Use {@code ScrapinghubIO.deleteJobs()}.
   *
   * @return a transform with the defaults, configured with its {@code withX()} methods
   */
  public static DeleteJobs create() {
    return new AutoValue_DeleteJobs.Builder().setConnection(ScrapinghubConnection.create()).build();
  }

  @Override
  DeleteJobs with(ScrapinghubConnection connection, @Nullable ErrorHandler<BadRecord, ?> handler) {
    return toBuilder().setConnection(connection).setBadRecordErrorHandler(handler).build();
  }

  @Override
  JobActionFn.Action action() {
    return JobActionFn.Action.DELETE;
  }
}
