package io.scrapinghubio.beam.jobs;

import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import io.scrapinghubio.beam.failure.BadRecords;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * What {@link UpdateJobTags}, {@link CancelJobs} and {@link DeleteJobs} share: job keys in, job keys
 * done out, failures typed; the connection and the failure mode. Each of them is an immutable
 * AutoValue spec; the properties declared here are part of theirs.
 *
 * @param <SelfT> the concrete transform, returned by the {@code withX()} methods
 */
abstract class JobAction<SelfT extends JobAction<SelfT>> extends PTransform<PCollection<String>, JobsResult<String>> {
  private static final long serialVersionUID = 1L;

  abstract ScrapinghubConnection connection();

  abstract boolean failOnError();

  /** Where failures go as Beam bad records; null: the deprecated {@code failures()} output (or fail, see withFailOnError). */
  abstract @Nullable ErrorHandler<BadRecord, ?> badRecordErrorHandler();

  /** This spec with the shared settings replaced (each subclass copies itself with its AutoValue builder). */
  abstract SelfT with(ScrapinghubConnection connection, boolean failOnError, @Nullable ErrorHandler<BadRecord, ?> handler);

  abstract JobActionFn.Action action();

  /** Tags added to each job; only {@link UpdateJobTags} has any. */
  List<String> tagsToAdd() {
    return List.of();
  }

  /** Tags removed from each job; only {@link UpdateJobTags} has any. */
  List<String> tagsToRemove() {
    return List.of();
  }

  /**
   * How to reach Scrapy Cloud (endpoints, API key, timeouts, retries); default
   * {@code ScrapinghubIO.connection()}.
   *
   * @param connection endpoints, key source, timeouts and retry policy
   * @return a new transform with this setting
   */
  public SelfT withConnection(ScrapinghubConnection connection) {
    return with(JobsValidation.required("connection", connection, "a ScrapinghubConnection such as ScrapinghubIO.connection()"),
        failOnError(), badRecordErrorHandler());
  }

  /**
   * Fail the pipeline on the first job that cannot be handled, instead of emitting a failure.
   *
   * @return a new transform with this setting
   * @deprecated route failures with {@link #withBadRecordErrorHandler}, the error handler of every
   *     Beam IO; {@code failures()} and this switch will go (issue 22)
   */
  @Deprecated
  public SelfT withFailOnError() {
    return with(connection(), true, badRecordErrorHandler());
  }

  /**
   * Sends each job key that cannot be handled (a job that does not exist, one not cancellable, a
   * refusal that outlasted the retries) to {@code handler}, as a Beam {@link BadRecord}: the key
   * ({@code StringUtf8Coder}), and the description {@code <KIND>: <operation> of job P/S/J[ (HTTP
   * n)] after N attempt(s): <reason>}. The deprecated {@code failures()} output then stays empty.
   *
   * @param handler where bad records go, from {@code pipeline.registerBadRecordErrorHandler(sink)}; not null
   * @return a new transform with this setting
   */
  public SelfT withBadRecordErrorHandler(ErrorHandler<BadRecord, ?> handler) {
    return with(connection(), failOnError(), BadRecords.checkHandler(handler, getClass().getSimpleName().replace("AutoValue_", "")));
  }

  @Override
  public JobsResult<String> expand(PCollection<String> keys) {
    // A plain tag: an anonymous subclass would capture this spec, and its error handler, in the DoFn.
    TupleTag<JobFailure> failures = new TupleTag<>("failures");
    PCollectionTuple t = keys.apply(action().name(),
        ParDo.of(new JobActionFn(connection(), action(), tagsToAdd(), tagsToRemove(), failOnError(), failures))
            .withOutputTags(JobActionFn.OUTPUT, TupleTagList.of(failures)));
    return JobsResult.of(t.get(JobActionFn.OUTPUT), JobFailureRouting.route(t.get(failures), badRecordErrorHandler()));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder b) {
    super.populateDisplayData(b);
    connection().populateDisplayData(b);
    b.add(DisplayData.item("failOnError", failOnError()).withLabel("Fail the pipeline on errors"));
  }

  /** {@code base} plus {@code more}, each checked, without repeats. */
  static List<String> tags(List<String> base, String... more) {
    if (more == null) {
      throw new IllegalArgumentException("tags must be non-empty strings, but was null");
    }
    List<String> l = new ArrayList<>(base);
    for (String t : more) {
      JobsValidation.tag(t);
      if (!l.contains(t)) {
        l.add(t);
      }
    }
    return List.copyOf(l);
  }
}
