package io.scrapinghubio.beam.jobs;

import io.scrapinghubio.beam.failure.ScrapinghubFailure;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.beam.connection.SharedClientFn;
import io.scrapinghubio.beam.metrics.ClientMetrics;
import io.scrapinghubio.client.JobSummary;
import io.scrapinghubio.client.errors.ScrapinghubException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The waiting of {@code awaitJobs()}, as a splittable DoFn: each call polls the batch's jobs still
 * waited for with one request ({@code Jobs.summaries}), emits the ones that reached the
 * target state, and checkpoints the rest with {@code resume().withResumeDelay(pollInterval)}, so no
 * worker thread is held between polls (except on runners that do not checkpoint bounded splittable
 * DoFns, e.g. Flink batch, which sleep in place).
 */
@DoFn.BoundedPerElement
final class AwaitJobsFn extends SharedClientFn<JobBatch, JobStatus> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(AwaitJobsFn.class);
  private static final Map<String, Integer> RANK = Map.of("pending", 0, "running", 1, "finished", 2, "deleted", 3);

  private final String targetState;
  private final long pollMillis;
  private final long timeoutMillis;
  private final TimeoutPolicy timeoutPolicy;
  private final Set<String> closeReasons;
  private final boolean failFast;
  private final TupleTag<JobStatus> timedOut;
  private final TupleTag<JobFailure> failures;

  private final Counter awaited = Metrics.counter(ClientMetrics.NAMESPACE, "jobs_awaited");
  private final Counter timeouts = Metrics.counter(ClientMetrics.NAMESPACE, "jobs_timed_out");
  private final Counter polls = Metrics.counter(ClientMetrics.NAMESPACE, "jobs_await_polls");
  private final Counter pollErrors = Metrics.counter(ClientMetrics.NAMESPACE, "jobs_await_poll_errors");
  private final Counter failed = Metrics.counter(ClientMetrics.NAMESPACE, "jobs_await_failures");

  AwaitJobsFn(ScrapinghubConnection connection, String targetState, java.time.Duration poll, java.time.Duration timeout,
      TimeoutPolicy timeoutPolicy, Set<String> closeReasons, boolean failFast, TupleTag<JobStatus> timedOut,
      TupleTag<JobFailure> failures) {
    super(connection, "jobs");
    this.targetState = targetState;
    this.pollMillis = poll.toMillis();
    this.timeoutMillis = timeout.toMillis();
    this.timeoutPolicy = timeoutPolicy;
    this.closeReasons = Set.copyOf(closeReasons);
    this.failFast = failFast;
    this.timedOut = timedOut;
    this.failures = failures;
  }

  static final TupleTag<JobStatus> OUTPUT = new TupleTag<JobStatus>("finished") {};

  @GetInitialRestriction
  public AwaitRestriction initialRestriction(@Element JobBatch batch) {
    return new AwaitRestriction(batch.keys(), System.currentTimeMillis());
  }

  @NewTracker
  public AwaitTracker newTracker(@Restriction AwaitRestriction r) {
    return new AwaitTracker(r);
  }

  @GetRestrictionCoder
  public Coder<AwaitRestriction> restrictionCoder() {
    return SerializableCoder.of(AwaitRestriction.class);
  }

  @GetSize
  public double size(@Restriction AwaitRestriction r) {
    return r.keys().size();
  }

  @ProcessElement
  public ProcessContinuation process(@Element JobBatch batch, RestrictionTracker<AwaitRestriction, String> tracker,
      MultiOutputReceiver out) {
    AwaitRestriction r = tracker.currentRestriction();
    List<String> waiting = r.keys();
    if (waiting.isEmpty()) {
      return ProcessContinuation.stop();
    }
    Map<String, JobSummary> seen;
    boolean pollFailed = false;
    try {
      seen = poll(batch.project(), waiting);
      polls.inc();
    } catch (ScrapinghubException e) {
      publishMetrics();
      if (JobFailure.retryable(e)) {
        // The client already retried; try again at the next poll, unless time is up.
        pollErrors.inc();
        LOG.warn("Polling {} job(s) of project {} failed, will poll again: {}", waiting.size(), batch.project(), e.getMessage());
        if (System.currentTimeMillis() - r.startedAtMillis() < timeoutMillis) {
          return ProcessContinuation.resume().withResumeDelay(Duration.millis(pollMillis));
        }
        seen = Map.of();
        pollFailed = true;
      } else {
        for (String key : waiting) {
          if (tracker.tryClaim(key)) {
            fail(out, JobFailure.of("await", null, key, e, 1));
          }
        }
        return ProcessContinuation.stop();
      }
    }
    publishMetrics();
    int target = RANK.get(targetState);
    List<String> stillWaiting = new ArrayList<>();
    for (String key : waiting) {
      JobSummary s = seen.get(key);
      if (s == null) {
        if (pollFailed) {
          stillWaiting.add(key); // the last poll failed at the deadline: timed out below
          continue;
        }
        if (tracker.tryClaim(key)) {
          fail(out, new JobFailure("await", null, key, ScrapinghubFailure.Kind.NOT_FOUND, 404,
              "job " + key + " is not in the job queue of project " + batch.project(), 1));
        }
        continue;
      }
      int rank = RANK.getOrDefault(String.valueOf(s.state()), 0);
      if (rank < target) {
        stillWaiting.add(key);
        continue;
      }
      if (!tracker.tryClaim(key)) {
        return ProcessContinuation.stop(); // the runner split this key away
      }
      JobStatus status = JobStatus.of(s);
      if ("finished".equals(status.state()) && !closeReasons.isEmpty() && !closeReasons.contains(status.closeReason())) {
        fail(out, new JobFailure("await", null, key, ScrapinghubFailure.Kind.CLOSE_REASON, -1,
            "job " + key + " finished with close reason '" + status.closeReason() + "', expected one of " + closeReasons, 1));
      } else {
        awaited.inc();
        out.get(OUTPUT).output(status);
      }
    }
    if (stillWaiting.isEmpty()) {
      return ProcessContinuation.stop();
    }
    if (System.currentTimeMillis() - r.startedAtMillis() >= timeoutMillis) {
      timeOut(batch.project(), stillWaiting, seen, tracker, out);
      return ProcessContinuation.stop();
    }
    return ProcessContinuation.resume().withResumeDelay(Duration.millis(pollMillis));
  }

  private void timeOut(long project, List<String> keys, Map<String, JobSummary> seen,
      RestrictionTracker<AwaitRestriction, String> tracker, MultiOutputReceiver out) {
    if (timeoutPolicy == TimeoutPolicy.CANCEL) {
      try {
        client().getProject(project).jobs().cancel(keys);
        seen = poll(project, keys);
      } catch (ScrapinghubException e) {
        LOG.warn("Cancelling {} timed-out job(s) of project {} failed: {}", keys.size(), project, e.getMessage());
      }
      publishMetrics();
    }
    for (String key : keys) {
      if (!tracker.tryClaim(key)) {
        continue;
      }
      timeouts.inc();
      JobSummary s = seen.get(key);
      String state = s == null ? "unknown" : String.valueOf(s.state());
      if (timeoutPolicy == TimeoutPolicy.FAIL) {
        fail(out, new JobFailure("await", null, key, ScrapinghubFailure.Kind.TIMEOUT, -1,
            "job " + key + " still " + state + " after " + timeoutMillis + " ms (target state " + targetState + ")", 1));
      } else {
        out.get(timedOut).output(s != null ? JobStatus.of(s) : new JobStatus(key, null, state, null, -1, List.of()));
      }
    }
  }

  private void fail(MultiOutputReceiver out, JobFailure f) {
    failed.inc();
    if (failFast) {
      throw new JobFailureRouting.JobFailedException(JobFailureRouting.description(f), null);
    }
    LOG.warn("{}", f);
    out.get(failures).output(f);
  }

  /** One request for all the keys (a batch holds at most {@code Jobs.SUMMARY_BATCH}), by key. */
  private Map<String, JobSummary> poll(long project, List<String> keys) {
    Map<String, JobSummary> out = new HashMap<>();
    client().getProject(project).jobs().summaries(keys).forEach((key, summary) -> out.put(key.toString(), summary));
    return out;
  }
}
