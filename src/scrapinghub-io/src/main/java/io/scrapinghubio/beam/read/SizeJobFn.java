package io.scrapinghubio.beam.read;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.beam.connection.SharedClientFn;
import io.scrapinghubio.beam.failure.BadRecords;
import io.scrapinghubio.beam.failure.ScrapinghubFailure;
import io.scrapinghubio.beam.metrics.ClientMetrics;
import io.scrapinghubio.beam.metrics.ReadPlan;
import io.scrapinghubio.client.core.JobKey;
import io.scrapinghubio.client.errors.NotFoundException;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sizes each job from {@code <type>/P/S/J/stats} (count and bytes, never by reading records) and
 * cuts it into the read's initial chunks, one element each, so that a reshuffle spreads the
 * chunks of even a single big job over every worker whatever a runner does with a splittable
 * DoFn's initial splits (Flink batch and Dataflow redistribute them; a runner that processes them
 * where the element landed would otherwise read the whole job on one worker). Jobs with no records are dropped here; jobs deleted since they were listed (404) are
 * logged, counted ({@code read_jobs_missing}) and skipped rather than failing the pipeline. A job
 * the caller named ({@code readAll()}'s input) that does not exist fails the read, naming it: an
 * empty result caused by a typo in a key must not pass for a job without records; with an error
 * handler it goes there instead, as a bad record holding the key ({@link #MISSING}). Each key
 * arrives with its spider's name when the step before knew it (null otherwise).
 */
final class SizeJobFn extends SharedClientFn<KV<String, String>, JobSlice> {
  private static final Logger LOG = LoggerFactory.getLogger(SizeJobFn.class);
  private final ReadConfig read;
  /** The read's progress name, under which its {@link ReadPlan} adds up what is sized here. */
  private final String stepName;
  private final Counter empty = Metrics.counter(ClientMetrics.NAMESPACE, "read_jobs_empty");
  private final Counter missing = Metrics.counter(ClientMetrics.NAMESPACE, "read_jobs_missing");
  private final Counter sized = Metrics.counter(ClientMetrics.NAMESPACE, "read_jobs");
  /**
   * Spider names by {@code P/S}, for keys that arrive without one ({@code readAll()}'s): one job-queue
   * request per spider a worker meets, not per job nor per record (all jobs of a spider id share
   * its name). Keys the read listed or checked itself carry the name from that answer.
   */
  private transient java.util.Map<String, String> spiderNames;

  /** Whether the keys were named by the caller (readAll) rather than listed by the read itself. */
  private final boolean namedByCaller;
  /** Whether a named job that does not exist goes to {@link #MISSING} (the read has an error handler) rather than failing. */
  private final boolean routesMissing;

  /** The chunks to read. */
  static final TupleTag<JobSlice> CHUNKS = new TupleTag<>("chunks");
  /** Named jobs that do not exist, when {@link #routesMissing}. */
  static final TupleTag<BadRecord> MISSING = new TupleTag<>("missingJobs");

  SizeJobFn(ReadConfig read, String stepName, boolean namedByCaller, boolean routesMissing) {
    super(read.connection(), "read");
    this.read = read;
    this.stepName = stepName;
    this.namedByCaller = namedByCaller;
    this.routesMissing = routesMissing;
  }

  @Override
  protected void afterClientAcquired() {
    spiderNames = new java.util.HashMap<>();
  }

  @ProcessElement
  public void process(@Element KV<String, String> listed, MultiOutputReceiver receivers) {
    OutputReceiver<JobSlice> out = receivers.get(CHUNKS);
    JobKey key = JobKey.parse(listed.getKey());
    JsonNode totals;
    try {
      totals = client().getJob(key).data(read.dataType()).stats().path("totals");
    } catch (NotFoundException e) {
      planned(0, 0); // sized, as nothing: the plan counts every job it was given
      if (namedByCaller) {
        missingJob(key, new NotFoundException("readAll(): job " + key + " does not exist (its " + read.dataType().path()
            + " stats answered 404): check the job key; the jobs of a project are listed by read().withProject(id)"), receivers);
        return;
      }
      LOG.warn("Skipping job {}: its {} are gone (deleted since it was listed?): {}", key, read.dataType().path(), e.getMessage());
      missing.inc();
      return;
    }
    long count = totals.path("input_values").asLong(0);
    if (count == 0) {
      // The storage API answers a job that does not exist like one without records: ask the job
      // queue, once per empty job, whether a job the caller named is there at all.
      planned(0, 0);
      if (namedByCaller && client().getProject(key.project()).jobs().summaries(java.util.List.of(key.toString())).isEmpty()) {
        missingJob(key, new NotFoundException("readAll(): job " + key + " does not exist or the API key cannot see it: "
            + "check the job key (project/spider/job); the jobs of a project are listed by read().withProject(id)"), receivers);
        return;
      }
      empty.inc();
      return;
    }
    sized.inc();
    JobSlice job = new JobSlice(key.toString(), count, totals.path("input_bytes").asLong(0));
    String spider = listed.getValue() != null ? listed.getValue() : spiderName(key);
    long chunk = read.chunkSizeFor(job.averageRecordBytes());
    long planned = 0;
    for (OffsetRange gap : read.skippedRecords().gaps(job.jobKey(), 0, count)) {
      planned += gap.getTo() - gap.getFrom();
      for (OffsetRange c : chunks(gap, chunk)) {
        out.output(new JobSlice(job.jobKey(), count, job.bytes(), c.getFrom(), c.getTo(), spider));
      }
    }
    // The bytes of the records planned, in proportion: those left out are not read.
    planned(planned, planned == count ? job.bytes() : Math.round((double) job.bytes() * planned / count));
  }

  /** Adds one job of {@code records} to read, {@code bytes} in all, to the read's plan in this JVM. */
  private void planned(long records, long bytes) {
    if (namedByCaller) {
      ReadPlan.namedJobSized(stepName, records, bytes);
    } else {
      ReadPlan.listedJobSized(stepName, records, bytes);
    }
  }

  /** Fails the bundle with {@code e}, or, with an error handler, hands the key to it. */
  private void missingJob(JobKey key, NotFoundException e, MultiOutputReceiver receivers) {
    if (!routesMissing) {
      throw e;
    }
    missing.inc();
    String description = ScrapinghubFailure.ofMissingJob(key.toString(), e.getMessage()).description();
    receivers.get(MISSING).output(BadRecords.of(key.toString(), StringUtf8Coder.of(), "\"" + key + "\"", e, description));
  }

  /** The name of the job's spider, from the job queue's summary of the first job of that spider met; null if none. */
  private String spiderName(JobKey key) {
    String spiderKey = key.project() + "/" + key.spider();
    if (!spiderNames.containsKey(spiderKey)) {
      io.scrapinghubio.client.JobSummary summary =
          client().getProject(key.project()).jobs().summaries(java.util.List.of(key.toString())).get(key);
      spiderNames.put(spiderKey, summary == null ? null : summary.spider());
    }
    return spiderNames.get(spiderKey);
  }

  /** Consecutive ranges of at most {@code chunk} records covering {@code range} exactly. */
  static java.util.List<OffsetRange> chunks(OffsetRange range, long chunk) {
    java.util.List<OffsetRange> out = new java.util.ArrayList<>();
    for (long from = range.getFrom(); from < range.getTo(); from += chunk) {
      out.add(new OffsetRange(from, Math.min(range.getTo(), from + chunk)));
    }
    return out;
  }
}
