package io.scrapinghubio.beam.jobs;

import com.google.auto.value.AutoValue;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.beam.failure.BadRecords;
import io.scrapinghubio.client.RunRequest;
import io.scrapinghubio.client.core.RetryPolicy;
import java.util.UUID;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code ScrapinghubIO.scheduleJobs()}: schedules one job per {@link RunRequest} ({@code run.json})
 * and emits a {@link ScheduledJob} per request, failures to {@link #withBadRecordErrorHandler}'s handler.
 *
 * <pre>{@code
 * JobsResult<ScheduledJob> jobs = p.apply(Create.of(RunRequest.of("books").withArg("category", "poetry")))
 *     .apply(ScrapinghubIO.scheduleJobs().withProject(123).withDuplicatePolicy(DuplicatePolicy.RETURN_EXISTING));
 * }</pre>
 *
 * <p><b>No double scheduling.</b> {@code run.json} is not idempotent, and Beam may run a bundle
 * again. Each request gets a deterministic tag ({@link RequestTags}: a hash of the request and the
 * dedupe scope); before every {@code run.json} attempt the job queue is asked for a job with that
 * tag in any state, and a job found is returned (outcome {@code ALREADY_SCHEDULED}) instead of
 * scheduling again. The scope is, by default, this pipeline run (a random id fixed when the
 * pipeline is built, so retried bundles share it and a new run schedules afresh); set
 * {@link #withDedupeId} to make scheduling idempotent across runs too (e.g. a date for a daily
 * crawl that may be restarted). Identical requests within a scope schedule one job.
 *
 * <p><b>Retries.</b> 408/429/5xx and connection failures of {@code run.json} are retried with the
 * connection's {@link RetryPolicy} (exponential backoff with jitter); the tag lookup before each
 * attempt makes that safe even when the failed call had in fact scheduled the job.
 */
@AutoValue
public abstract class ScheduleJobs extends PTransform<PCollection<RunRequest>, JobsResult<ScheduledJob>> {
  private static final long serialVersionUID = 1L;

  /**
   * How this transform reaches Scrapy Cloud; steps composed with it (crawlAndRead's tagging) use the same.
   *
   * @return the connection set with {@link #withConnection}, or the default one
   */
  public abstract ScrapinghubConnection connection();

  abstract long project();

  abstract DuplicatePolicy duplicatePolicy();

  abstract @Nullable String dedupeId();

  /** Where failures go as Beam bad records; null: the first one fails the pipeline. */
  abstract @Nullable ErrorHandler<BadRecord, ?> badRecordErrorHandler();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setConnection(ScrapinghubConnection c);

    abstract Builder setProject(long p);

    abstract Builder setDuplicatePolicy(DuplicatePolicy p);

    abstract Builder setDedupeId(@Nullable String id);

    abstract Builder setBadRecordErrorHandler(@Nullable ErrorHandler<BadRecord, ?> h);

    abstract ScheduleJobs build();
  }

  /**
   * Use {@code ScrapinghubIO.scheduleJobs()}.
   *
   * @return a transform with the defaults, configured with its {@code withX()} methods
   */
  public static ScheduleJobs create() {
    return new AutoValue_ScheduleJobs.Builder().setConnection(ScrapinghubConnection.create()).setProject(0)
        .setDuplicatePolicy(DuplicatePolicy.FAIL).build();
  }

  /**
   * The project to schedule in (required).
   *
   * @param projectId a positive project id
   * @return a new transform with this setting
   */
  public ScheduleJobs withProject(long projectId) {
    return toBuilder().setProject(JobsValidation.checkProject(projectId)).build();
  }

  /**
   * How to reach Scrapy Cloud (endpoints, API key, timeouts, retries); default
   * {@code ScrapinghubIO.connection()}.
   *
   * @param connection endpoints, key source, timeouts and retry policy
   * @return a new transform with this setting
   */
  public ScheduleJobs withConnection(ScrapinghubConnection connection) {
    return toBuilder().setConnection(JobsValidation.required("connection", connection, "a ScrapinghubConnection such as ScrapinghubIO.connection()")).build();
  }

  /**
   * What to do when the service answers DuplicateJob (default {@link DuplicatePolicy#FAIL}).
   *
   * @param policy what to do on DuplicateJob
   * @return a new transform with this setting
   */
  public ScheduleJobs withDuplicatePolicy(DuplicatePolicy policy) {
    return toBuilder().setDuplicatePolicy(JobsValidation.oneOf("duplicate policy", policy, DuplicatePolicy.class)).build();
  }

  /**
   * Scope of the dedupe tags: requests scheduled under the same id (in this run or any other) are
   * scheduled once. Default: this pipeline run only.
   *
   * @param id a non-empty id, the same in every run that must not schedule a request twice
   * @return a new transform with this setting
   */
  public ScheduleJobs withDedupeId(String id) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("dedupe id must be non-empty, but was '" + id + "'");
    }
    return toBuilder().setDedupeId(id).build();
  }

  /**
   * Sends each run request that cannot be scheduled (an unknown spider, a refusal, {@code run.json}
   * retries exhausted) to {@code handler}, as a Beam {@link BadRecord}: the request
   * ({@code SerializableCoder}), and the description {@code <KIND>: schedule of request <request>[
   * (HTTP n)] after N attempt(s): <reason>}, which
   * {@link io.scrapinghubio.beam.failure.ScrapinghubFailure#of(BadRecord) ScrapinghubFailure.of(badRecord)} reads back as data. Without a handler the first such request fails the
   * pipeline, with a message naming the spider, its arguments and the project.
   *
   * @param handler where bad records go, from {@code pipeline.registerBadRecordErrorHandler(sink)}; not null
   * @return a new transform with this setting
   */
  public ScheduleJobs withBadRecordErrorHandler(ErrorHandler<BadRecord, ?> handler) {
    return toBuilder().setBadRecordErrorHandler(BadRecords.checkHandler(handler, "ScrapinghubIO.scheduleJobs()")).build();
  }

  @Override
  public JobsResult<ScheduledJob> expand(PCollection<RunRequest> input) {
    if (project() == 0) {
      throw new IllegalArgumentException("ScrapinghubIO.scheduleJobs() needs withProject(id)");
    }
    // Fixed here, at construction: every retry of every bundle of this run shares it.
    String scope = dedupeId() != null ? "id:" + dedupeId() : "run:" + UUID.randomUUID();
    TupleTag<ScheduledJob> out = ScheduleJobsFn.OUTPUT;
    // A plain tag: an anonymous subclass would capture this spec, and its error handler, in the DoFn.
    TupleTag<JobFailure> failures = new TupleTag<>("failures");
    PCollectionTuple t = input.apply("ScheduleJobs",
        ParDo.of(new ScheduleJobsFn(connection(), project(), duplicatePolicy(), scope,
            JobFailureRouting.failFast(badRecordErrorHandler()), failures))
            .withOutputTags(out, TupleTagList.of(failures)));
    JobFailureRouting.route(t.get(failures), badRecordErrorHandler());
    return JobsResult.of(t.get(out));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder b) {
    super.populateDisplayData(b);
    connection().populateDisplayData(b);
    b.add(DisplayData.item("project", project()).withLabel("Project"));
    b.add(DisplayData.item("duplicatePolicy", duplicatePolicy().name()).withLabel("On DuplicateJob"));
    b.addIfNotNull(DisplayData.item("dedupeId", dedupeId()).withLabel("Dedupe scope"));
    b.add(DisplayData.item("badRecordErrorHandler", badRecordErrorHandler() != null).withLabel("Failures to an error handler"));
  }
}
