package io.scrapinghubio.beam.follow;

import io.scrapinghubio.beam.read.OutputFormat;
import io.scrapinghubio.beam.read.ReadConfig;
import io.scrapinghubio.beam.read.RecordConversion;
import io.scrapinghubio.beam.connection.SharedClientFn;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.cache.Cache;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.cache.CacheBuilder;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.cache.RemovalNotification;
import io.scrapinghubio.beam.metrics.ClientMetrics;
import io.scrapinghubio.beam.metrics.ProgressLogger;
import io.scrapinghubio.client.JobSummary;
import io.scrapinghubio.client.core.JobKey;
import io.scrapinghubio.client.errors.NotFoundException;
import io.scrapinghubio.client.read.JobRecord;
import io.scrapinghubio.client.read.PagedReader;
import io.scrapinghubio.client.read.ReadSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.InstantCoder;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Gauge;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.splittabledofn.GrowableOffsetRangeTracker;
import org.apache.beam.sdk.transforms.splittabledofn.ManualWatermarkEstimator;
import org.apache.beam.sdk.transforms.splittabledofn.OffsetRangeTracker;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.transforms.splittabledofn.WatermarkEstimators;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one job of a continuous read, from its first record to its last, while it may still be
 * growing: a splittable DoFn over the job's record indices {@code [from, ∞)}.
 *
 * <p>Each call looks at the job's state first ({@code jobq/P/jobsummary}), then at its size
 * ({@code items/P/S/J/stats}), and reads pages ({@code start=P/S/J/N&meta=_key&meta=_ts}) only
 * when the job has grown past what was delivered. In that order a job seen finished cannot grow
 * past the size taken after it, so when everything up to that size is read the job's read ends
 * (and its key and size go to {@link #DONE}); otherwise it resumes after the poll interval. A job
 * deleted meanwhile (gone from the job queue, or 404) ends the read cleanly: what was emitted
 * stays emitted, and it is logged and counted.
 *
 * <p>Every record index is claimed before its record is emitted, so a checkpoint (Flink) or a
 * runner's split resumes at the first record not yet emitted: the restriction is the read's
 * position. Each record's timestamp is its store time {@code _ts}; the watermark estimator
 * follows the newest one read, and when the job has caught up it moves to now minus
 * {@link FollowJobs#CLOCK_ALLOWANCE} (what is stored later cannot be older).
 */
@DoFn.UnboundedPerElement
final class FollowJobFn<T> extends SharedClientFn<FollowedJob, T> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(FollowJobFn.class);

  /**
   * The jobs whose every record was emitted (the job finished and its last record was read), each
   * with its size: the number of record indices its read covered, {@code [0, size)}.
   */
  static final TupleTag<KV<String, Long>> DONE = new TupleTag<KV<String, Long>>("jobsDone") {};
  /** Records that did not convert, when the read has an error handler. */
  static final TupleTag<BadRecord> FAILURES = new TupleTag<BadRecord>("badRecords") {};

  private final ReadConfig config;
  private final OutputFormat<T> format;
  private final TupleTag<T> records;
  /** Without an error handler a record that does not convert fails the bundle; with one it goes to {@link #FAILURES}. */
  private final RecordConversion<T> conversion;
  private final Duration pollInterval;
  private final String stepName;

  private final Counter recordsRead = Metrics.counter(ClientMetrics.NAMESPACE, "follow_records");
  private final Counter jobsFinished = Metrics.counter(ClientMetrics.NAMESPACE, "follow_jobs_finished");
  private final Counter jobsGone = Metrics.counter(ClientMetrics.NAMESPACE, "follow_jobs_deleted");
  private final Counter jobsClosedEarly = Metrics.counter(ClientMetrics.NAMESPACE, "follow_jobs_closed_not_finished");
  private final Counter sizeChecks = Metrics.counter(ClientMetrics.NAMESPACE, "follow_size_checks");
  private final Gauge lagMillis = Metrics.gauge(ClientMetrics.NAMESPACE, "follow_lag_millis");
  private final Distribution batch = Metrics.distribution(ClientMetrics.NAMESPACE, "follow_records_per_read");

  /** Names this transform's size checks for {@link PollPacer}; fixed at construction, so every copy shares it. */
  private final String pacingKey = "follow/" + java.util.UUID.randomUUID() + "/";
  /** Last size seen per job, for the tracker's progress estimate. */
  private transient Map<String, Long> knownSizes;
  /**
   * Reads cut short by a checkpoint (see {@link OpenRead}), by {@link #pacingKey} and job, shared
   * by the JVM's instances of this DoFn: a runner may hand a residual to any of them.
   */
  private static final Cache<String, OpenRead> OPEN_READS = CacheBuilder.newBuilder()
      // Residuals that never come back (a cancelled pipeline, another worker) must not hold readers
      // forever: the cache is bounded in size and time and closes the reads it drops.
      .maximumSize(32)
      .expireAfterWrite(10, java.util.concurrent.TimeUnit.MINUTES)
      .removalListener((RemovalNotification<String, OpenRead> dropped) -> {
        if (dropped.wasEvicted() && dropped.getValue() != null) {
          dropped.getValue().close();
        }
      })
      .build();

  FollowJobFn(ReadConfig config, OutputFormat<T> format, TupleTag<T> records, boolean routesFailures, Duration pollInterval,
      String stepName) {
    super(config.connection(), "read", stepName, config.progressInterval());
    this.config = config;
    this.format = format;
    this.records = records;
    this.conversion = new RecordConversion<>(format, routesFailures);
    this.pollInterval = pollInterval;
    this.stepName = stepName;
  }

  @Override
  protected void afterClientAcquired() {
    knownSizes = new ConcurrentHashMap<>();
  }

  /**
   * A record's store time is the truth even in the odd case where it is older than the job's
   * earliest state time in the listing (a job pushed with its history, clocks that disagree):
   * emit it as it is, rather than move the record in time or, on a runner that checks output
   * timestamps against the element's (the Direct runner's splittable path does not), fail.
   */
  @Override
  @SuppressWarnings("deprecation")
  public org.joda.time.Duration getAllowedTimestampSkew() {
    return org.joda.time.Duration.millis(Long.MAX_VALUE);
  }

  @GetInitialRestriction
  public OffsetRange initialRestriction(@Element FollowedJob job) {
    return new OffsetRange(0, Long.MAX_VALUE);
  }

  @NewTracker
  public RestrictionTracker<OffsetRange, Long> newTracker(@Element FollowedJob job, @Restriction OffsetRange range) {
    if (range.getTo() != Long.MAX_VALUE) {
      return new OffsetRangeTracker(range); // a primary split off by a checkpoint: bounded
    }
    return new GrowableOffsetRangeTracker(range.getFrom(), () -> knownSizes == null ? range.getFrom()
        : Math.max(range.getFrom(), knownSizes.getOrDefault(job.jobKey(), range.getFrom())));
  }

  @GetInitialWatermarkEstimatorState
  public Instant initialWatermark(@Element FollowedJob job) {
    return new Instant(job.sinceMillis());
  }

  @GetWatermarkEstimatorStateCoder
  public Coder<Instant> watermarkStateCoder() {
    return InstantCoder.of();
  }

  @NewWatermarkEstimator
  public WatermarkEstimators.Manual newWatermarkEstimator(@WatermarkEstimatorState Instant state) {
    return new WatermarkEstimators.Manual(state);
  }

  @ProcessElement
  public ProcessContinuation process(@Element FollowedJob job, RestrictionTracker<OffsetRange, Long> tracker,
      ManualWatermarkEstimator<Instant> watermark, MultiOutputReceiver out) {
    JobKey key = JobKey.parse(job.jobKey());
    PollPacer.awaitTurn(pacingKey + job.jobKey(), pollInterval); // waits only if the runner resumed it early
    OffsetRange range = tracker.currentRestriction();
    long from = range.getFrom();
    OpenRead open = OPEN_READS.asMap().remove(pacingKey + job.jobKey());
    if (open != null && (open.resumeFrom != from || range.getTo() != Long.MAX_VALUE)) {
      open.close(); // not the continuation of the read this instance left open
      open = null;
    }
    if (open == null) {
      // State first, then size: see the class comment.
      JobSummary summary = client().getProject(key.project()).jobs().summaries(List.of(key.toString())).get(key);
      if (summary == null || "deleted".equals(summary.state())) {
        return gone(key, from, tracker, "it is " + (summary == null ? "no longer in the job queue" : "deleted"));
      }
      long size;
      try {
        sizeChecks.inc();
        size = client().getJob(key).data(config.dataType()).stats().path("totals").path("input_values").asLong(0);
      } catch (NotFoundException e) {
        return gone(key, from, tracker, e.getMessage());
      }
      knownSizes.put(job.jobKey(), size);
      open = new OpenRead(from, size, "finished".equals(summary.state()), summary.closeReason());
    }
    if (open.to > from) {
      Read r = read(key, job.spider(), open, tracker, watermark, out);
      if (r == Read.REFUSED) {
        // A checkpoint or split: the residual resumes at the first unclaimed index. Keep the read
        // open (its page in hand and the pages fetched ahead) for the residual, which a runner
        // that checkpoints often (the Direct runner, every 100 records) usually gives back here.
        keepOpen(pacingKey + job.jobKey(), open);
        return ProcessContinuation.stop();
      }
      open.close();
      if (r == Read.GONE) {
        return gone(key, from, tracker, "its records disappeared while being read");
      }
    }
    if (open.finished) {
      // Index `to` will never hold a record (the job is finished): claiming it is what allows the
      // DONE output in this call (Beam allows output only after a successful claim), and a
      // checkpoint that refuses it leaves the job's end, and DONE, to the residual.
      if (!tracker.tryClaim(open.to)) {
        open.resumeFrom = open.to; // every record is read: the residual only has to end the job
        keepOpen(pacingKey + job.jobKey(), open);
        return ProcessContinuation.stop();
      }
      out.get(DONE).output(KV.of(key.toString(), open.to));
      tracker.tryClaim(Long.MAX_VALUE); // ends the restriction: nothing will be added any more
      knownSizes.remove(job.jobKey());
      jobsFinished.inc();
      if (open.closeReason != null && !"finished".equals(open.closeReason)) {
        jobsClosedEarly.inc();
        LOG.info("Job {} ended with close reason '{}' after {} records; all of them were read", key, open.closeReason, open.to);
      }
      return ProcessContinuation.stop();
    }
    // Caught up with a running job: what it stores from now on is stored after now.
    Instant caughtUp = Instant.now().minus(FollowJobs.CLOCK_ALLOWANCE);
    if (caughtUp.isAfter(watermark.currentWatermark())) {
      watermark.setWatermark(caughtUp);
    }
    PollPacer.resumedNow(pacingKey + job.jobKey());
    return ProcessContinuation.resume().withResumeDelay(pollInterval);
  }

  private enum Read { DONE, REFUSED, GONE }

  /**
   * A read of {@code [resumeFrom, to)} of one job, with what its last check found, that a
   * checkpoint cut short: the reader (its pages fetched ahead) and the record taken from it whose
   * claim was refused. The residual's next call continues it without new checks or requests.
   * Handed from one DoFn instance to the next through {@link #OPEN_READS}, used by one at a time.
   */
  private static final class OpenRead {
    long resumeFrom;
    final long to;
    final boolean finished;
    final String closeReason;
    PagedReader reader;
    JobRecord pending;

    OpenRead(long from, long to, boolean finished, String closeReason) {
      this.resumeFrom = from;
      this.to = to;
      this.finished = finished;
      this.closeReason = closeReason;
    }

    void close() {
      if (reader != null) {
        reader.close();
        reader = null;
      }
      pending = null;
    }
  }

  private static void keepOpen(String key, OpenRead open) {
    OPEN_READS.put(key, open);
  }

  /**
   * Emits the records of {@code open} from its resume point, each claimed first; claims
   * {@code to - 1} at the end so that filtered-out records count as read.
   */
  private Read read(JobKey key, String spider, OpenRead open, RestrictionTracker<OffsetRange, Long> tracker,
      ManualWatermarkEstimator<Instant> watermark, MultiOutputReceiver out) {
    String jobKey = key.toString();
    long last = open.resumeFrom - 1;
    long emitted = 0;
    long newest = watermark.currentWatermark().getMillis();
    OutputReceiver<T> main = out.get(records);
    // Made once per call, not per record: a failure goes out at its record's store time, held here.
    Instant[] at = new Instant[1];
    OutputReceiver<BadRecord> failures = out.get(FAILURES);
    Consumer<BadRecord> toFailures = failed -> failures.outputWithTimestamp(failed, at[0]);
    try {
      if (open.reader == null) {
        ReadSpec spec = config.rangeSpec(key, open.resumeFrom, open.to, format.keepKey()).withTimestamps(true);
        open.reader = client().getJob(key).data(config.dataType()).reader(spec);
      }
      while (open.pending != null || open.reader.hasNext()) {
        JobRecord r = open.pending != null ? open.pending : open.reader.next();
        open.pending = null;
        if (!tracker.tryClaim(r.index())) {
          open.pending = r;
          open.resumeFrom = last + 1;
          return Read.REFUSED;
        }
        long ts = r.hasTimestamp() ? r.timestamp() : newest;
        at[0] = new Instant(ts);
        T value = conversion.convert(r, jobKey, spider, toFailures);
        if (value != null) {
          main.outputWithTimestamp(value, at[0]);
        }
        emitted++;
        last = r.index();
        if (ts > newest) {
          newest = ts;
          watermark.setWatermark(at[0]);
        }
      }
    } catch (NotFoundException e) {
      return Read.GONE;
    } finally {
      recordsRead.inc(emitted);
      batch.update(emitted);
      if (emitted > 0) {
        lagMillis.set(System.currentTimeMillis() - newest);
        ProgressLogger.newestRecord(stepName, newest);
      }
    }
    if (last < open.to - 1 && !tracker.tryClaim(open.to - 1)) {
      open.resumeFrom = last + 1;
      return Read.REFUSED;
    }
    return Read.DONE;
  }

  private ProcessContinuation gone(JobKey key, long from, RestrictionTracker<OffsetRange, Long> tracker, String why) {
    LOG.warn("Job {} is gone ({}); its read ends after {} records, which stay delivered", key, why, from);
    jobsGone.inc();
    knownSizes.remove(key.toString());
    tracker.tryClaim(Long.MAX_VALUE);
    return ProcessContinuation.stop();
  }
}
