package io.scrapinghubio.beam.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.beam.connection.SharedClientFn;
import io.scrapinghubio.beam.metrics.ClientMetrics;
import io.scrapinghubio.client.core.RetryPolicy;
import io.scrapinghubio.client.Job;
import io.scrapinghubio.client.JobQuery;
import io.scrapinghubio.client.JobSummary;
import io.scrapinghubio.client.Jobs;
import io.scrapinghubio.client.RunRequest;
import io.scrapinghubio.client.errors.DuplicateJobException;
import io.scrapinghubio.client.errors.ScrapinghubException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.util.BackOff;
import org.apache.beam.sdk.util.BackOffUtils;
import org.apache.beam.sdk.util.FluentBackoff;
import org.apache.beam.sdk.util.Sleeper;
import org.apache.beam.sdk.values.TupleTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Schedules one run request: tag lookup, run.json, duplicate policy, retries (see {@link ScheduleJobs}). */
final class ScheduleJobsFn extends SharedClientFn<RunRequest, ScheduledJob> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ScheduleJobsFn.class);
  private static final String[] ANY_STATE = {"pending", "running", "finished", "deleted"};

  private final ScrapinghubConnection connection;
  private final long project;
  private final DuplicatePolicy duplicatePolicy;
  private final String scope;
  private final boolean failFast;
  private final TupleTag<JobFailure> failures;

  private final Counter scheduled = Metrics.counter(ClientMetrics.NAMESPACE, "jobs_scheduled");
  private final Counter alreadyScheduled = Metrics.counter(ClientMetrics.NAMESPACE, "jobs_already_scheduled");
  private final Counter duplicates = Metrics.counter(ClientMetrics.NAMESPACE, "jobs_duplicates");
  private final Counter duplicatesSkipped = Metrics.counter(ClientMetrics.NAMESPACE, "jobs_duplicates_skipped");
  private final Counter existing = Metrics.counter(ClientMetrics.NAMESPACE, "jobs_duplicates_existing");
  private final Counter failed = Metrics.counter(ClientMetrics.NAMESPACE, "jobs_schedule_failures");
  private final Counter retries = Metrics.counter(ClientMetrics.NAMESPACE, "jobs_schedule_retries");

  ScheduleJobsFn(ScrapinghubConnection connection, long project, DuplicatePolicy duplicatePolicy, String scope, boolean failFast,
      TupleTag<JobFailure> failures) {
    super(connection, "jobs");
    this.connection = connection;
    this.project = project;
    this.duplicatePolicy = duplicatePolicy;
    this.scope = scope;
    this.failFast = failFast;
    this.failures = failures;
  }

  @ProcessElement
  public void process(@Element RunRequest request, MultiOutputReceiver out) throws IOException, InterruptedException {
    String tag = RequestTags.tag(request, scope);
    Jobs jobs = client().getProject(project).jobs();
    BackOff backoff = backoff(connection.clientConfig().retryPolicy());
    int attempts = 0;
    while (true) {
      attempts++;
      try {
        Optional<String> found = findByTag(jobs, tag);
        if (found.isPresent()) {
          alreadyScheduled.inc();
          LOG.info("Request {} was already scheduled as job {} (tag {}): not scheduling it again", describe(request),
              found.get(), tag);
          out.get(outputTag()).output(new ScheduledJob(found.get(), request, tag, ScheduledJob.Outcome.ALREADY_SCHEDULED));
          return;
        }
        Job job = jobs.run(request.withTags(tag));
        scheduled.inc();
        out.get(outputTag()).output(new ScheduledJob(job.key().toString(), request, tag, ScheduledJob.Outcome.SCHEDULED));
        return;
      } catch (DuplicateJobException e) {
        duplicates.inc();
        if (duplicatePolicy == DuplicatePolicy.SKIP) {
          duplicatesSkipped.inc();
          LOG.info("Skipping {}: {}", describe(request), e.getMessage());
          return;
        }
        if (duplicatePolicy == DuplicatePolicy.RETURN_EXISTING) {
          Optional<String> active = findActive(jobs, request);
          if (active.isPresent()) {
            // Tag it so that a retry of this bundle finds it by tag like any job we scheduled.
            client().getJob(active.get()).updateTags(List.of(tag), List.of());
            existing.inc();
            out.get(outputTag()).output(new ScheduledJob(active.get(), request, tag, ScheduledJob.Outcome.EXISTING));
            return;
          }
          // The duplicate ended between run.json and the lookup: schedule again (after a pause).
          if (BackOffUtils.next(Sleeper.DEFAULT, backoff)) {
            retries.inc();
            continue;
          }
        }
        fail(out, request, e, attempts);
        return;
      } catch (ScrapinghubException e) {
        if (JobFailure.retryable(e) && BackOffUtils.next(Sleeper.DEFAULT, backoff)) {
          retries.inc();
          LOG.warn("Scheduling {} failed (attempt {}), retrying: {}", describe(request), attempts, e.getMessage());
          continue;
        }
        fail(out, request, e, attempts);
        return;
      }
    }
  }

  /** Backoff for run.json, which the transport does not retry itself, from the connection's retry policy. */
  private static BackOff backoff(RetryPolicy policy) {
    return FluentBackoff.DEFAULT
        .withInitialBackoff(org.joda.time.Duration.millis(policy.initialBackoff().toMillis()))
        .withMaxBackoff(org.joda.time.Duration.millis(policy.maxBackoff().toMillis()))
        .withMaxCumulativeBackoff(org.joda.time.Duration.millis(policy.maxTotalTime().toMillis()))
        .withMaxRetries(policy.maxAttempts() - 1)
        .backoff();
  }

  private static TupleTag<ScheduledJob> outputTag() {
    return OUTPUT;
  }

  static final TupleTag<ScheduledJob> OUTPUT = new TupleTag<ScheduledJob>("scheduled") {};

  private void fail(MultiOutputReceiver out, RunRequest request, ScrapinghubException e, int attempts) {
    failed.inc();
    if (failFast) {
      throw new ScrapinghubException("could not schedule " + describe(request) + " in project " + project + " after "
          + attempts + " attempt(s): " + e.getMessage(), e.status(), e);
    }
    LOG.warn("Could not schedule {} after {} attempt(s): {}", describe(request), attempts, e.getMessage());
    out.get(failures).output(JobFailure.of("schedule", request, null, e, attempts));
  }

  private static String describe(RunRequest r) {
    return "spider '" + r.spider() + "' with args " + r.args();
  }

  /** The job carrying {@code tag}, in any state (the job queue lists finished jobs only unless asked). */
  private static Optional<String> findByTag(Jobs jobs, String tag) {
    Iterator<JobSummary> it = jobs.iter(JobQuery.all().hasTag(tag).state(ANY_STATE).jobMeta("state").limit(1)).iterator();
    return it.hasNext() ? Optional.of(it.next().key().toString()) : Optional.empty();
  }

  /** The pending or running job of the same spider with the same arguments (what DuplicateJob refers to). */
  private static Optional<String> findActive(Jobs jobs, RunRequest request) {
    Map<String, String> wanted = request.args();
    for (JobSummary s : jobs.iter(JobQuery.all().spider(request.spider()).state("pending", "running")
        .jobMeta("spider_args").limit(Jobs.PAGE_SIZE))) {
      Map<String, String> args = new HashMap<>();
      JsonNode a = s.json().path("spider_args");
      a.fields().forEachRemaining(e -> args.put(e.getKey(), e.getValue().asText()));
      if (args.equals(wanted)) {
        return Optional.of(s.key().toString());
      }
    }
    return Optional.empty();
  }
}
