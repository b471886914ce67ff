package io.scrapinghubio.beam.jobs;

import com.google.auto.value.AutoValue;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.beam.failure.BadRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupIntoBatches;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * {@code ScrapinghubIO.awaitJobs()}: job keys ({@code P/S/J}) in; each job emitted, with its
 * {@link JobStatus}, once it reaches the target state (default {@code finished}).
 *
 * <pre>{@code
 * AwaitJobs.Result done = jobKeys.apply(ScrapinghubIO.awaitJobs()
 *     .withPollInterval(Duration.ofMinutes(1)).withTimeout(Duration.ofHours(6))
 *     .withTimeoutPolicy(TimeoutPolicy.CANCEL)
 *     .withBadRecordErrorHandler(deadLetters)); // unknown jobs, rejected close reasons, auth errors...
 * done.finished();   // PCollection<JobStatus>
 * done.timedOut();   // jobs still not finished after 6 h (cancelled by the policy)
 * }</pre>
 *
 * <p><b>How it polls.</b> Keys are grouped into batches of one project ({@code GroupIntoBatches},
 * at most {@link #withMaxJobsPerRequest}, default 100; on unbounded input a batch waits at most 1 s
 * to fill). Each batch is the element of a splittable DoFn
 * whose restriction is the set of keys still waited for: a poll is one
 * {@code jobq/P/jobsummary?key=..&key=..} request for the whole batch; jobs that reached the state
 * are emitted at once, and the rest is checkpointed with
 * {@code ProcessContinuation.resume().withResumeDelay(pollInterval)}: no thread sleeps per job
 * (Flink batch, which cannot checkpoint bounded SDFs, sleeps one thread per batch).
 *
 * <p>The timeout counts from the first poll of the batch; then the {@link TimeoutPolicy} applies.
 * A job the job queue does not know is a {@code NOT_FOUND} failure. Transient poll errors
 * (after the client's own retries) just wait for the next poll.
 */
@AutoValue
public abstract class AwaitJobs extends PTransform<PCollection<String>, AwaitJobs.Result> {
  private static final long serialVersionUID = 1L;

  abstract ScrapinghubConnection connection();

  abstract String targetState();

  abstract Duration pollInterval();

  abstract Duration timeout();

  abstract TimeoutPolicy timeoutPolicy();

  abstract List<String> closeReasons();

  abstract int maxJobsPerRequest();


  /** Where failures go as Beam bad records; null: the first one fails the pipeline. */
  abstract @org.checkerframework.checker.nullness.qual.Nullable ErrorHandler<BadRecord, ?> badRecordErrorHandler();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setConnection(ScrapinghubConnection c);

    abstract Builder setTargetState(String s);

    abstract Builder setPollInterval(Duration d);

    abstract Builder setTimeout(Duration d);

    abstract Builder setTimeoutPolicy(TimeoutPolicy p);

    abstract Builder setCloseReasons(List<String> r);

    abstract Builder setMaxJobsPerRequest(int n);


    abstract Builder setBadRecordErrorHandler(@org.checkerframework.checker.nullness.qual.Nullable ErrorHandler<BadRecord, ?> h);

    abstract AwaitJobs build();
  }

  /**
   * Use {@code ScrapinghubIO.awaitJobs()}.
   *
   * @return a transform with the defaults, configured with its {@code withX()} methods
   */
  public static AwaitJobs create() {
    return new AutoValue_AwaitJobs.Builder().setConnection(ScrapinghubConnection.create()).setTargetState("finished")
        .setPollInterval(Duration.ofSeconds(30)).setTimeout(Duration.ofHours(24)).setTimeoutPolicy(TimeoutPolicy.FAIL)
        .setCloseReasons(List.of()).setMaxJobsPerRequest(100).build();
  }

  /**
   * How to reach Scrapy Cloud (endpoints, API key, timeouts, retries); default
   * {@code ScrapinghubIO.connection()}.
   *
   * @param connection endpoints, key source, timeouts and retry policy
   * @return a new transform with this setting
   */
  public AwaitJobs withConnection(ScrapinghubConnection connection) {
    return toBuilder().setConnection(JobsValidation.required("connection", connection, "a ScrapinghubConnection such as ScrapinghubIO.connection()")).build();
  }

  /**
   * Emit jobs once they are {@code running}, {@code finished} (default) or {@code deleted}; later
   * states count as reached.
   *
   * @param state {@code running}, {@code finished} or {@code deleted}
   * @return a new transform with this setting
   */
  public AwaitJobs withTargetState(String state) {
    return toBuilder().setTargetState(JobsValidation.state(state)).build();
  }

  /**
   * Time between polls of a batch (default 30 s).
   *
   * @param d a positive interval
   * @return a new transform with this setting
   */
  public AwaitJobs withPollInterval(Duration d) {
    return toBuilder().setPollInterval(JobsValidation.positive("poll interval", d)).build();
  }

  /**
   * How long to wait for a job at most (default 24 h).
   *
   * @param d a positive duration
   * @return a new transform with this setting
   */
  public AwaitJobs withTimeout(Duration d) {
    return toBuilder().setTimeout(JobsValidation.positive("timeout", d)).build();
  }

  /**
   * What happens to jobs still waited for at the timeout (default {@link TimeoutPolicy#FAIL}).
   *
   * @param p what to do with the jobs still waited for
   * @return a new transform with this setting
   */
  public AwaitJobs withTimeoutPolicy(TimeoutPolicy p) {
    return toBuilder().setTimeoutPolicy(JobsValidation.oneOf("timeout policy", p, TimeoutPolicy.class)).build();
  }

  /**
   * Close reasons accepted for finished jobs (e.g. {@code finished}); a job finishing with another
   * one (e.g. {@code cancelled}, {@code failed}) becomes a {@code CLOSE_REASON} failure. Default:
   * any close reason is emitted.
   *
   * @param reasons the accepted close reasons, at least one
   * @return a new transform with this setting
   */
  public AwaitJobs withAcceptedCloseReasons(String... reasons) {
    if (reasons == null || reasons.length == 0) {
      throw new IllegalArgumentException("withAcceptedCloseReasons() needs at least one close reason, e.g. \"finished\"");
    }
    for (String r : reasons) {
      JobsValidation.nonEmpty("a close reason", r);
    }
    return toBuilder().setCloseReasons(List.of(reasons)).build();
  }

  /**
   * Jobs polled per request (1 to 500, default 100).
   *
   * @param n jobs per job-queue request, 1 to 500
   * @return a new transform with this setting
   */
  public AwaitJobs withMaxJobsPerRequest(int n) {
    if (n < 1 || n > 500) {
      throw new IllegalArgumentException("max jobs per request must be in 1..500, but was " + n);
    }
    return toBuilder().setMaxJobsPerRequest(n).build();
  }

  /**
   * Sends each job key that cannot be awaited (an invalid key, an unknown job, a close reason not
   * accepted, a timeout under {@code TimeoutPolicy.FAIL}) to {@code handler}, as a Beam
   * {@link BadRecord}: the key ({@code StringUtf8Coder}), and the description {@code <KIND>: await
   * of job P/S/J[ (HTTP n)] after N attempt(s): <reason>}, which
   * {@link io.scrapinghubio.beam.failure.ScrapinghubFailure#of(BadRecord) ScrapinghubFailure.of(badRecord)} reads back as data. Without a handler the first such job
   * fails the pipeline, with that description as the message. Jobs timed out under
   * {@code TimeoutPolicy.EMIT} or {@code CANCEL} are no failures: they go to {@code timedOut()}.
   *
   * @param handler where bad records go, from {@code pipeline.registerBadRecordErrorHandler(sink)}; not null
   * @return a new transform with this setting
   */
  public AwaitJobs withBadRecordErrorHandler(ErrorHandler<BadRecord, ?> handler) {
    return toBuilder().setBadRecordErrorHandler(BadRecords.checkHandler(handler, "ScrapinghubIO.awaitJobs()")).build();
  }

  @Override
  public Result expand(PCollection<String> keys) {
    // Plain tags: anonymous subclasses would capture this spec, and its error handler, in the DoFns.
    TupleTag<KV<Long, String>> byProject = new TupleTag<>("byProject");
    TupleTag<JobFailure> badKeys = new TupleTag<>("invalid");
    PCollectionTuple b = keys.apply("CheckJobKeys",
        ParDo.of(new BatchJobKeysFn(JobFailureRouting.failFast(badRecordErrorHandler()), byProject, badKeys)).withOutputTags(byProject, TupleTagList.of(badKeys)));
    PCollection<KV<Long, String>> keyed = b.get(byProject)
        .setCoder(KvCoder.of(VarLongCoder.of(), StringUtf8Coder.of()));
    GroupIntoBatches<Long, String> grouping = GroupIntoBatches.<Long, String>ofSize(maxJobsPerRequest());
    if (keys.isBounded() == PCollection.IsBounded.UNBOUNDED) {
      // Streaming: do not wait for a batch to fill up before polling it.
      grouping = grouping.withMaxBufferingDuration(org.joda.time.Duration.standardSeconds(1));
    }
    PCollection<JobBatch> batches = keyed.apply("BatchPerProject", grouping)
        .apply("ToBatches", MapElements.into(TypeDescriptor.of(JobBatch.class))
            .via((KV<Long, Iterable<String>> kv) -> {
              List<String> distinct = new ArrayList<>();
              for (String k : kv.getValue()) {
                if (!distinct.contains(k)) {
                  distinct.add(k);
                }
              }
              return new JobBatch(kv.getKey(), distinct);
            }))
        .setCoder(SerializableCoder.of(JobBatch.class));
    TupleTag<JobStatus> timedOut = new TupleTag<>("timedOut");
    TupleTag<JobFailure> failures = new TupleTag<>("failures");
    PCollectionTuple a = batches.apply("AwaitJobs",
        ParDo.of(new AwaitJobsFn(connection(), targetState(), pollInterval(), timeout(), timeoutPolicy(),
            Set.copyOf(closeReasons()), JobFailureRouting.failFast(badRecordErrorHandler()), timedOut, failures))
            .withOutputTags(AwaitJobsFn.OUTPUT, TupleTagList.of(timedOut).and(failures)));
    PCollection<JobFailure> allFailures = PCollectionList
        .of(b.get(badKeys).setCoder(SerializableCoder.of(JobFailure.class)))
        .and(a.get(failures).setCoder(SerializableCoder.of(JobFailure.class)))
        .apply("Failures", Flatten.pCollections());
    JobFailureRouting.route(allFailures, badRecordErrorHandler());
    return new Result(keys.getPipeline(), a.get(AwaitJobsFn.OUTPUT), a.get(timedOut).setCoder(a.get(AwaitJobsFn.OUTPUT).getCoder()));
  }

  @Override
  public void populateDisplayData(DisplayData.Builder b) {
    super.populateDisplayData(b);
    connection().populateDisplayData(b);
    b.add(DisplayData.item("targetState", targetState()).withLabel("Target state"));
    b.add(DisplayData.item("pollInterval", pollInterval().toString()).withLabel("Poll interval"));
    b.add(DisplayData.item("timeout", timeout().toString()).withLabel("Timeout"));
    b.add(DisplayData.item("timeoutPolicy", timeoutPolicy().name()).withLabel("On timeout"));
    if (!closeReasons().isEmpty()) {
      b.add(DisplayData.item("closeReasons", String.join(",", closeReasons())).withLabel("Accepted close reasons"));
    }
    b.add(DisplayData.item("maxJobsPerRequest", maxJobsPerRequest()).withLabel("Jobs per poll request"));
    b.add(DisplayData.item("badRecordErrorHandler", badRecordErrorHandler() != null).withLabel("Failures to an error handler"));
  }

  /** The outputs of {@code awaitJobs()}. */
  public static final class Result implements POutput {
    private final Pipeline pipeline;
    private final PCollection<JobStatus> finished;
    private final PCollection<JobStatus> timedOut;

    Result(Pipeline pipeline, PCollection<JobStatus> finished, PCollection<JobStatus> timedOut) {
      this.pipeline = pipeline;
      this.finished = finished;
      this.timedOut = timedOut;
    }

    /**
     * Jobs that reached the target state (despite the name, also for targets other than finished).
     *
     * @return one status per job, as last polled
     */
    public PCollection<JobStatus> finished() {
      return finished;
    }

    /**
     * Jobs still waited for at the timeout, with policies EMIT and CANCEL.
     *
     * @return one status per job, as last polled before the timeout
     */
    public PCollection<JobStatus> timedOut() {
      return timedOut;
    }

    @Override
    public Pipeline getPipeline() {
      return pipeline;
    }

    @Override
    public Map<TupleTag<?>, PValue> expand() {
      return Map.of(new TupleTag<JobStatus>("finished"), finished, new TupleTag<JobStatus>("timedOut"), timedOut);
    }

    @Override
    public void finishSpecifyingOutput(String transformName, PInput input, PTransform<?, ?> transform) {}
  }
}
