package io.scrapinghubio.beam.read;

import io.scrapinghubio.beam.metrics.ClientMetrics;
import io.scrapinghubio.beam.metrics.ProgressLogger;
import io.scrapinghubio.client.JobKey;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.errors.NotFoundException;
import io.scrapinghubio.client.read.JobRecord;
import io.scrapinghubio.client.read.PagedReader;
import io.scrapinghubio.client.read.ReadSpec;
import java.util.LinkedHashMap;
import java.util.Map;
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
 *   <li>When the runner checkpoints (the Direct runner does every few outputs), the open reader and
 *       its buffered page are kept, keyed by job and resume position, so resuming does not
 *       re-download the page.
 * </ul>
 */
@DoFn.BoundedPerElement
final class ReadRecordsFn<T> extends DoFn<JobRef, T> {
  private static final Logger LOG = LoggerFactory.getLogger(ReadRecordsFn.class);
  private static final int MAX_PARKED_READERS = 16;

  private final ReadConfig config;
  private final OutputFormat<T> format;
  private final String stepName;
  private final Counter records = Metrics.counter(ClientMetrics.NAMESPACE, "read_records");
  private final Counter conversionFailures = Metrics.counter(ClientMetrics.NAMESPACE, "read_conversion_failures");
  private final Counter missingJobs = Metrics.counter(ClientMetrics.NAMESPACE, "read_jobs_missing");
  private final Counter shortJobs = Metrics.counter(ClientMetrics.NAMESPACE, "read_jobs_shorter_than_planned");

  private transient ScrapinghubClient client;
  private transient ClientMetrics metrics;
  /** Readers interrupted by a checkpoint, keyed by "job@nextIndex", oldest first. */
  private transient LinkedHashMap<String, Parked> parked;

  ReadRecordsFn(ReadConfig config, OutputFormat<T> format, String stepName) {
    this.config = config;
    this.format = format;
    this.stepName = stepName;
  }

  /** An open reader and the record it had already pulled when its claim was refused. */
  private static final class Parked {
    final PagedReader reader;
    final JobRecord pending;

    Parked(PagedReader reader, JobRecord pending) {
      this.reader = reader;
      this.pending = pending;
    }
  }

  @Setup
  public void setup() {
    metrics = new ClientMetrics("read");
    client = ScrapinghubClient.create(config.clientConfig(), metrics);
    parked = new LinkedHashMap<>();
    ProgressLogger.register(stepName, client.stats(), config.progressInterval());
  }

  @GetInitialRestriction
  public OffsetRange initialRestriction(@Element JobRef job) {
    return new OffsetRange(0, job.count());
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
    Parked resumed = parked.remove(slot(job.jobKey(), range.getFrom()));
    PagedReader reader = resumed != null ? resumed.reader : open(key, range);
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
          // in case the residual is resumed here.
          park(job.jobKey(), r.index(), new Parked(reader, r));
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
      metrics.publish(client.stats());
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
    return client.getJob(key).data(config.dataType()).reader(spec);
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

  private static String slot(String jobKey, long index) {
    return jobKey + "@" + index;
  }

  private void park(String jobKey, long index, Parked p) {
    parked.put(slot(jobKey, index), p);
    while (parked.size() > MAX_PARKED_READERS) {
      Map.Entry<String, Parked> oldest = parked.entrySet().iterator().next();
      oldest.getValue().reader.close();
      parked.remove(oldest.getKey());
    }
  }

  @FinishBundle
  public void finishBundle() {
    metrics.publish(client.stats());
  }

  @Teardown
  public void teardown() {
    if (parked != null) {
      parked.values().forEach(p -> p.reader.close());
      parked.clear();
    }
    if (client != null) {
      ProgressLogger.unregister(stepName, client.stats());
      client.close();
    }
  }
}
