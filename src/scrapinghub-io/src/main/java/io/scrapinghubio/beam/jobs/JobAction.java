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
 * What {@link UpdateJobTags} and {@link CancelOrDeleteJobs} share: job keys in, job keys
 * done out, failures to the error handler (or failing the pipeline); the connection and the handler. Each of them is an immutable
 * AutoValue spec; the properties declared here are part of theirs.
 *
 * @param <SelfT> the concrete transform, returned by the {@code withX()} methods
 */
abstract class JobAction<SelfT extends JobAction<SelfT>> extends PTransform<PCollection<String>, JobsResult<String>> {
  private static final long serialVersionUID = 1L;

  abstract ScrapinghubConnection connection();

  /** Where failures go as Beam bad records; null: the first one fails the pipeline. */
  abstract @Nullable ErrorHandler<BadRecord, ?> badRecordErrorHandler();

  /** This spec with the shared settings replaced (each subclass copies itself with its AutoValue builder). */
  abstract SelfT with(ScrapinghubConnection connection, @Nullable ErrorHandler<BadRecord, ?> handler);

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
        badRecordErrorHandler());
  }

  /**
   * Sends each job key that cannot be handled (a job that does not exist, one not cancellable, a
   * refusal that outlasted the retries) to {@code handler}, as a Beam {@link BadRecord}: the key
   * ({@code StringUtf8Coder}), and the description {@code <KIND>: <operation> of job P/S/J[ (HTTP
   * n)] after N attempt(s): <reason>}, which
   * {@link io.scrapinghubio.beam.failure.ScrapinghubFailure#of(BadRecord) ScrapinghubFailure.of(badRecord)} reads back as data (kind, operation, job, status, attempts, reason).
   * Without a handler the first such job fails the pipeline, with that description as the message.
   *
   * @param handler where bad records go, from {@code pipeline.registerBadRecordErrorHandler(sink)}; not null
   * @return a new transform with this setting
   */
  public SelfT withBadRecordErrorHandler(ErrorHandler<BadRecord, ?> handler) {
    return with(connection(), BadRecords.checkHandler(handler, getKindString()));
  }

  @Override
  public JobsResult<String> expand(PCollection<String> keys) {
    // A plain tag: an anonymous subclass would capture this spec, and its error handler, in the DoFn.
    TupleTag<JobFailure> failures = new TupleTag<>("failures");
    PCollectionTuple t = keys.apply(action().name(),
        ParDo.of(new JobActionFn(connection(), action(), tagsToAdd(), tagsToRemove(),
            JobFailureRouting.failFast(badRecordErrorHandler()), failures))
            .withOutputTags(JobActionFn.OUTPUT, TupleTagList.of(failures)));
    JobFailureRouting.route(t.get(failures), badRecordErrorHandler());
    return JobsResult.of(t.get(JobActionFn.OUTPUT));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder b) {
    super.populateDisplayData(b);
    connection().populateDisplayData(b);
    b.add(DisplayData.item("badRecordErrorHandler", badRecordErrorHandler() != null).withLabel("Failures to an error handler"));
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
