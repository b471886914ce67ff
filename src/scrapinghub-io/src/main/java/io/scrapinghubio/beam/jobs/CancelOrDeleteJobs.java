package io.scrapinghubio.beam.jobs;

import com.google.auto.value.AutoValue;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code ScrapinghubIO.cancelJobs()} and {@code ScrapinghubIO.deleteJobs()}: cancels, or deletes,
 * the jobs whose keys arrive, and emits each job done. The two differ only in the request sent per
 * job; which one a transform sends is shown in its display data ({@code action}) and is its
 * default name ({@code CancelJobs} or {@code DeleteJobs}, the step names of the former two
 * classes, so a pipeline keeps its step names).
 *
 * <h2>Cancel ({@code ScrapinghubIO.cancelJobs()})</h2>
 *
 * <p>Cancels the jobs whose keys arrive ({@code jobq/P/S/J/cancel}). A pending job is finished at
 * once; a running one stops asynchronously with close reason {@code cancelled} (await it with
 * {@code awaitJobs()} if you need it stopped). Both go to the main output. A job that had already
 * been cancelled goes there too, so that cancelling twice (a retried bundle, a re-run) is
 * harmless. A job that had already ended otherwise (finished with another close reason, or
 * deleted) is not cancelled: it is a {@code NOT_CANCELLABLE} failure whose message names the job
 * and its state and close reason. An unknown job is a {@code NOT_FOUND} failure. Failures go to
 * {@code withBadRecordErrorHandler}'s handler; without one, the first fails the pipeline with that
 * message.
 *
 * <h2>Delete ({@code ScrapinghubIO.deleteJobs()})</h2>
 *
 * <p>Moves the jobs whose keys arrive to state {@code deleted} ({@code jobq/P/update}); deleting
 * twice is harmless. An unknown job is a {@code NOT_FOUND} failure. Failures go to
 * {@code withBadRecordErrorHandler}'s handler; without one, the first fails the pipeline with its
 * message.
 */
@AutoValue
public abstract class CancelOrDeleteJobs extends JobAction<CancelOrDeleteJobs> {
  private static final long serialVersionUID = 1L;

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setAction(JobActionFn.Action action);

    abstract Builder setConnection(ScrapinghubConnection c);

    abstract Builder setBadRecordErrorHandler(@Nullable ErrorHandler<BadRecord, ?> h);

    abstract CancelOrDeleteJobs build();
  }

  /**
   * Use {@code ScrapinghubIO.cancelJobs()}.
   *
   * @return a transform that cancels jobs, with the defaults, configured with its {@code withX()} methods
   */
  public static CancelOrDeleteJobs cancel() {
    return create(JobActionFn.Action.CANCEL);
  }

  /**
   * Use {@code ScrapinghubIO.deleteJobs()}.
   *
   * @return a transform that deletes jobs, with the defaults, configured with its {@code withX()} methods
   */
  public static CancelOrDeleteJobs delete() {
    return create(JobActionFn.Action.DELETE);
  }

  private static CancelOrDeleteJobs create(JobActionFn.Action action) {
    return new AutoValue_CancelOrDeleteJobs.Builder().setAction(action).setConnection(ScrapinghubConnection.create()).build();
  }

  @Override
  CancelOrDeleteJobs with(ScrapinghubConnection connection, @Nullable ErrorHandler<BadRecord, ?> handler) {
    return toBuilder().setConnection(connection).setBadRecordErrorHandler(handler).build();
  }

  /**
   * {@code CancelJobs} or {@code DeleteJobs}: the step's default name says which action it takes.
   *
   * @return the default name
   */
  @Override
  protected String getKindString() {
    return action() == JobActionFn.Action.CANCEL ? "CancelJobs" : "DeleteJobs";
  }

  @Override
  public void populateDisplayData(DisplayData.Builder b) {
    super.populateDisplayData(b);
    b.add(DisplayData.item("action", action() == JobActionFn.Action.CANCEL ? "cancel" : "delete").withLabel("Action"));
  }
}
