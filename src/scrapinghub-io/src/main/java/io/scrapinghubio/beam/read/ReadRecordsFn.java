package io.scrapinghubio.beam.read;

import io.scrapinghubio.beam.metrics.ClientMetrics;
import io.scrapinghubio.client.core.JobKey;
import io.scrapinghubio.client.errors.NotFoundException;
import io.scrapinghubio.client.read.JobRecord;
import io.scrapinghubio.client.read.PagedReader;
import io.scrapinghubio.client.read.ReadSpec;
import io.scrapinghubio.beam.read.SharedReadState.Parked;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.splittabledofn.OffsetRangeTracker;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a job's records as a splittable DoFn over the index range {@code [0, count)}.
 *
 * <ul>
 *   <li>{@code @SplitRestriction} cuts each job into chunks sized by records and bytes, because
 *       Flink batch parallelises only these initial splits.
 *   <li>{@link OffsetRangeTracker} and {@code @GetSize} (remaining records × average size) let
 *       Dataflow split dynamically; each record index is claimed before it is emitted, so every
 *       record is emitted exactly once whatever the splits.
 *   <li>Within a claimed range, records come from the client's {@link PagedReader}: bounded pages,
 *       fetched ahead of the consumer, retried whole on failure.
 *   <li>When the runner checkpoints (the Direct runner does every 100 outputs or second), the open
 *       reader, its buffered page and its read-ahead are parked, keyed by job and resume position,
 *       in a {@link SharedReadState} common to every instance of this DoFn in the JVM, so resuming
 *       on any thread does not re-download them.
 * </ul>
 */
@DoFn.BoundedPerElement
final class ReadRecordsFn<T> extends DoFn<JobRef, T> {
  private static final Logger LOG = LoggerFactory.getLogger(ReadRecordsFn.class);
  /** Parked readers per JVM and transform; each holds at most {@code 1 + prefetchPages} pages. */
  private static final int MAX_PARKED_READERS = 256;

  private final ReadConfig config;
  private final OutputFormat<T> format;
  private final String stepName;
  private final Counter records = Metrics.counter(ClientMetrics.NAMESPACE, "read_records");
  private final Counter conversionFailures = Metrics.counter(ClientMetrics.NAMESPACE, "read_conversion_failures");
  private final Counter missingJobs = Metrics.counter(ClientMetrics.NAMESPACE, "read_jobs_missing");
  private final Counter shortJobs = Metrics.counter(ClientMetrics.NAMESPACE, "read_jobs_shorter_than_planned");

  private final Counter readersOpened = Metrics.counter(ClientMetrics.NAMESPACE, "read_readers_opened");
  private final Counter readersResumed = Metrics.counter(ClientMetrics.NAMESPACE, "read_readers_resumed");
  /** Same in every deserialised copy, so all instances of this DoFn in a JVM find the same {@link SharedReadState}. */
  private final String fnId = java.util.UUID.randomUUID().toString();

  private transient SharedReadState shared;

  ReadRecordsFn(ReadConfig config, OutputFormat<T> format, String stepName) {
    this.config = config;
    this.format = format;
    this.stepName = stepName;
  }

  @Setup
  public void setup() {
    shared = SharedReadState.acquire(fnId, config.clientConfig(), stepName, config.progressInterval(), MAX_PARKED_READERS);
  }

  @GetInitialRestriction
  public OffsetRange initialRestriction(@Element JobRef job) {
    return new OffsetRange(job.from(), job.to());
  }

  @SplitRestriction
  public void split(@Element JobRef job, @Restriction OffsetRange range, OutputReceiver<OffsetRange> out) {
    chunks(range, config.chunkSizeFor(job.averageRecordBytes())).forEach(out::output);
  }

  /** Consecutive ranges of at most {@code chunk} records covering {@code range} exactly. */
  static java.util.List<OffsetRange> chunks(OffsetRange range, long chunk) {
    java.util.List<OffsetRange> out = new java.util.ArrayList<>();
    for (long from = range.getFrom(); from < range.getTo(); from += chunk) {
      out.add(new OffsetRange(from, Math.min(range.getTo(), from + chunk)));
    }
    return out;
  }

  @NewTracker
  public OffsetRangeTracker newTracker(@Restriction OffsetRange range) {
    return new OffsetRangeTracker(range);
  }

  @GetSize
  public double size(@Element JobRef job, @Restriction OffsetRange range) {
    double avg = job.averageRecordBytes();
    return (range.getTo() - range.getFrom()) * (avg > 0 ? avg : 1);
  }

  @ProcessElement
  public ProcessContinuation process(
      @Element JobRef job, RestrictionTracker<OffsetRange, Long> tracker, OutputReceiver<T> out) throws Exception {
    OffsetRange range = tracker.currentRestriction();
    JobKey key = JobKey.parse(job.jobKey());
    Parked resumed = shared.unpark(job.jobKey(), range.getFrom());
    PagedReader reader;
    if (resumed != null) {
      reader = resumed.reader;
      readersResumed.inc();
    } else {
      reader = open(key, range);
      readersOpened.inc();
    }
    JobRecord pending = resumed != null ? resumed.pending : null;
    long last = range.getFrom() - 1;
    try {
      while (true) {
        JobRecord r = pending;
        pending = null;
        if (r == null) {
          if (!reader.hasNext()) {
            break;
          }
          r = reader.next();
        }
        if (!tracker.tryClaim(r.index())) {
          // Split or checkpoint: the rest belongs to a residual. Keep the reader (and this record)
          // for whichever thread resumes the residual.
          shared.park(job.jobKey(), r.index(), new Parked(reader, r));
          reader = null;
          return ProcessContinuation.stop();
        }
        emit(r, out);
        last = r.index();
      }
    } catch (NotFoundException e) {
      LOG.warn("Job {} disappeared while being read ({}); the records already emitted stay, the rest is skipped", key, e.getMessage());
      missingJobs.inc();
    } finally {
      if (reader != null) {
        reader.close();
      }
      shared.publishMetrics();
    }
    if (config.filters().isEmpty() && last < range.getTo() - 1) {
      // Fewer records than planned: the job shrank or went away after it was sized.
      LOG.warn("Job {} ended at record {} although {} were planned for range {}", key, last + 1, range.getTo(), range);
      shortJobs.inc();
    }
    tracker.tryClaim(Long.MAX_VALUE); // marks the whole range done, so the runner's checkDone passes
    return ProcessContinuation.stop();
  }

  private PagedReader open(JobKey key, OffsetRange range) {
    ReadSpec spec = ReadSpec.all(key, config.dataType())
        .withRange(range.getFrom(), range.getTo())
        .withPageSize(config.pageSize())
        .withPrefetchPages(config.prefetchPages())
        .withFilters(config.filters())
        .withKeepKey(format.keepKey());
    return shared.client.getJob(key).data(config.dataType()).reader(spec);
  }

  private void emit(JobRecord r, OutputReceiver<T> out) {
    T value;
    try {
      value = format.convert(r);
    } catch (Exception e) {
      conversionFailures.inc();
      throw new IllegalStateException("record " + r.key() + " cannot be converted to " + format.describe() + ": " + e.getMessage(), e);
    }
    out.output(value);
    records.inc();
  }

  @FinishBundle
  public void finishBundle() {
    shared.publishMetrics();
  }

  @Teardown
  public void teardown() {
    if (shared != null) {
      shared.release();
      shared = null;
    }
  }
}
