package io.scrapinghubio.beam.follow;

import io.scrapinghubio.beam.read.EmptySelection;
import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.beam.connection.SharedClient;
import io.scrapinghubio.beam.metrics.ClientMetrics;
import io.scrapinghubio.client.JobQuery;
import io.scrapinghubio.client.JobSummary;
import io.scrapinghubio.client.Jobs;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Contextful;
import org.apache.beam.sdk.transforms.Watch;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * One poll of a continuous read: lists the selection's running and finished jobs in one
 * {@code jobq/P/list} request (per selected spider, per 1000 jobs) and returns the jobs to read:
 * all of them when running jobs are followed, the finished ones otherwise. {@code Watch} keeps
 * the keys it has already emitted, so each job is emitted once, the first time it is listed.
 *
 * <p>Watermark: a lower bound on the store time of any record of a job not yet emitted. A job
 * that has not started yet stores its records later than now; so the bound is now minus
 * {@link FollowJobs#CLOCK_ALLOWANCE} (worker and service clocks differ a little), held back, when
 * only finished jobs are read, by the start of every job still running (it will be emitted, with
 * all its records, once it finishes).
 */
final class PollJobsFn extends Watch.Growth.PollFn<FollowSelection, FollowedJob> {
  private static final long serialVersionUID = 1L;
  private static final List<String> TIME_FIELDS = List.of("pending_time", "running_time", "finished_time");

  private final ScrapinghubConnection connection;
  private final boolean runningJobs;
  private final Duration pollInterval;
  /** Names this transform's polls for {@link PollPacer}; fixed at construction, so every copy shares it. */
  private final String pacingKey = "poll/" + java.util.UUID.randomUUID();
  private final Counter polls = Metrics.counter(ClientMetrics.NAMESPACE, "follow_polls");
  private final Counter listings = Metrics.counter(ClientMetrics.NAMESPACE, "follow_listing_requests");
  private final Gauge running = Metrics.gauge(ClientMetrics.NAMESPACE, "follow_running_jobs");
  /**
   * Selections whose empty listing was already explained in this JVM: the first explanation fails
   * a typo'd project or spider; after that an empty listing is normal (nothing new yet) and costs
   * no extra request.
   */
  private static final java.util.Set<String> EXPLAINED = java.util.concurrent.ConcurrentHashMap.newKeySet();

  PollJobsFn(ScrapinghubConnection connection, boolean runningJobs, Duration pollInterval) {
    this.connection = connection;
    this.runningJobs = runningJobs;
    this.pollInterval = pollInterval;
  }

  @Override
  public Watch.Growth.PollResult<FollowedJob> apply(FollowSelection selection, Contextful.Fn.Context c) {
    PollPacer.awaitTurn(pacingKey, pollInterval);
    SharedClient shared = SharedClient.acquire(connection, "read");
    try {
      return poll(selection, shared);
    } finally {
      shared.publishMetrics();
      shared.release();
      PollPacer.resumedNow(pacingKey); // every poll but the last is followed by a resume after the interval
    }
  }

  private Watch.Growth.PollResult<FollowedJob> poll(FollowSelection selection, SharedClient shared) {
    polls.inc();
    Instant now = Instant.now();
    Instant watermark = now.minus(FollowJobs.CLOCK_ALLOWANCE);
    List<TimestampedValue<FollowedJob>> outputs = new ArrayList<>();
    long runningNow = 0;
    Jobs jobs = shared.client().getProject(selection.project()).jobs();
    List<String> each = selection.spiders().isEmpty() ? Collections.singletonList(null) : selection.spiders();
    for (String spider : each) {
      JobQuery q = (spider == null ? selection.query() : selection.query().spider(spider)).state("running", "finished");
      long listed = 0;
      for (JobSummary job : jobs.iter(q)) {
        listed++;
        long since = since(job);
        boolean isRunning = "running".equals(job.state());
        if (isRunning) {
          runningNow++;
        }
        if (isRunning && !runningJobs) {
          Instant start = new Instant(since);
          watermark = start.isBefore(watermark) ? start : watermark;
          continue;
        }
        outputs.add(TimestampedValue.of(new FollowedJob(job.key().toString(), since, job.spider()), new Instant(since)));
      }
      listings.inc(listed / Jobs.PAGE_SIZE + 1); // the job queue pages by 1000
      if (listed == 0 && EXPLAINED.add(connection.clientConfig().storageEndpoint() + " " + selection + " " + spider)) {
        new EmptySelection(shared.client(), selection.project()).explain(spider, q);
      }
    }
    running.set(runningNow);
    return Watch.Growth.PollResult.incomplete(outputs).withWatermark(watermark);
  }

  /** The earliest of the job's state times in the listing: none of its records is older. */
  static long since(JobSummary job) {
    long min = Long.MAX_VALUE;
    for (String f : TIME_FIELDS) {
      JsonNode n = job.json().get(f);
      if (n != null && n.canConvertToLong()) {
        min = Math.min(min, n.asLong());
      }
    }
    if (min == Long.MAX_VALUE) {
      JsonNode ts = job.json().get("ts");
      min = ts != null && ts.canConvertToLong() ? ts.asLong() : 0;
    }
    return min;
  }
}
