package io.scrapinghubio.beam.jobs;

import com.google.auto.value.AutoValue;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code ScrapinghubIO.cancelJobs()}: cancels the jobs whose keys arrive ({@code jobq/P/S/J/cancel}).
 * A pending job is finished at once; a running one stops asynchronously with close reason
 * {@code cancelled} (await it with {@code awaitJobs()} if you need it stopped). Both go to the
 * main output. A job that had already been cancelled goes there too, so that cancelling twice (a
 * retried bundle, a re-run) is harmless. A job that had already ended otherwise (finished with
 * another close reason, or deleted) is not cancelled: it is a {@code NOT_CANCELLABLE} failure
 * whose message names the job and its state and close reason. An unknown job is a
 * {@code NOT_FOUND} failure. Failures go to {@code withBadRecordErrorHandler}'s handler; without
 * one, the first fails the pipeline with that message.
 */
@AutoValue
public abstract class CancelJobs extends JobAction<CancelJobs> {
  private static final long serialVersionUID = 1L;

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setConnection(ScrapinghubConnection c);

    abstract Builder setBadRecordErrorHandler(@Nullable ErrorHandler<BadRecord, ?> h);

    abstract CancelJobs build();
  }

  /**
   * Use {@code ScrapinghubIO.cancelJobs()}.
   *
   * @return a transform with the defaults, configured with its {@code withX()} methods
   */
  public static CancelJobs create() {
    return new AutoValue_CancelJobs.Builder().setConnection(ScrapinghubConnection.create()).build();
  }

  @Override
  CancelJobs with(ScrapinghubConnection connection, @Nullable ErrorHandler<BadRecord, ?> handler) {
    return toBuilder().setConnection(connection).setBadRecordErrorHandler(handler).build();
  }

  @Override
  JobActionFn.Action action() {
    return JobActionFn.Action.CANCEL;
  }
}
