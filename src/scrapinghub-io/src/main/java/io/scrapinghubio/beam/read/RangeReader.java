package io.scrapinghubio.beam.read;

import io.scrapinghubio.beam.connection.SharedClient;
import io.scrapinghubio.beam.metrics.ClientMetrics;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.core.JobKey;
import io.scrapinghubio.client.errors.NotFoundException;
import io.scrapinghubio.client.read.JobRecord;
import io.scrapinghubio.client.read.PagedReader;
import io.scrapinghubio.client.read.ReadSpec;
import java.io.Serializable;
import java.util.function.Consumer;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import java.util.function.LongPredicate;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn.OutputReceiver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one slice {@code [from, to)} of a job's record log and emits each record, converted, as
 * soon as the client's {@link PagedReader} hands it over (bounded pages, fetched ahead, retried
 * whole on failure). What both read DoFns do with a range; they differ only in who decides where
 * the range ends ({@link #read}'s {@code claim}).
 *
 * <p>One per DoFn instance, from {@code @Setup} to {@code @Teardown}. Its client is the worker
 * JVM's {@link SharedClient} for this connection (one connection pool and page-fetch pool for all
 * of the read's instances), which also feeds the progress line and Beam metrics.
 */
final class RangeReader<T> implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(RangeReader.class);

  private final ReadConfig config;
  private final OutputFormat<T> format;
  private final String stepName;
  private final RecordConversion<T> conversion;
  private final Counter records = Metrics.counter(ClientMetrics.NAMESPACE, "read_records");
  private final Counter missingJobs = Metrics.counter(ClientMetrics.NAMESPACE, "read_jobs_missing");
  private final Counter shortJobs = Metrics.counter(ClientMetrics.NAMESPACE, "read_jobs_shorter_than_planned");
  private final Counter rangesRead = Metrics.counter(ClientMetrics.NAMESPACE, "read_ranges_opened");

  private transient SharedClient shared;
  private transient ScrapinghubClient client;

  RangeReader(ReadConfig config, OutputFormat<T> format, String stepName, boolean routesFailures) {
    this.config = config;
    this.format = format;
    this.stepName = stepName;
    this.conversion = new RecordConversion<>(format, routesFailures);
  }

  void setup() {
    shared = SharedClient.acquire(config.connection(), "read", stepName, config.progressInterval());
    client = shared.client();
  }

  /**
   * Emits the records of {@code job} from index {@code from} up to its slice's end, each after
   * {@code claim} accepted its index; stops at the first refused index (a split or checkpoint:
   * the rest belongs to someone else). A job deleted while it is read is logged, counted and
   * ends the range; a job shorter than planned is logged and counted. A record that does not
   * convert goes to {@code failures} when the read has an error handler, and fails the bundle
   * otherwise, naming its key and the reason.
   */
  void read(JobSlice job, long from, long to, LongPredicate claim, OutputReceiver<T> out, OutputReceiver<BadRecord> failures) {
    JobKey key = JobKey.parse(job.jobKey());
    ReadSpec spec = config.rangeSpec(key, from, to, format.keepKey());
    rangesRead.inc();
    String jobKey = key.toString();
    long last = from - 1;
    long emitted = 0;
    // Made once per range, not per record; null without an error handler, where nothing is routed.
    Consumer<BadRecord> toFailures = failures == null ? null : failures::output;
    try (PagedReader reader = client.getJob(key).data(config.dataType()).reader(spec)) {
      while (reader.hasNext()) {
        JobRecord r = reader.next();
        if (!claim.test(r.index())) {
          return;
        }
        T value = conversion.convert(r, jobKey, job.spider(), toFailures);
        if (value != null) {
          out.output(value);
          emitted++;
        }
        last = r.index();
      }
    } catch (NotFoundException e) {
      LOG.warn("Job {} disappeared while being read ({}); the records already emitted stay, the rest is skipped", key, e.getMessage());
      missingJobs.inc();
      return;
    } finally {
      records.inc(emitted); // once per range: a metrics-container lookup per record showed in the read's profile
    }
    if (config.filters().isEmpty() && last < to - 1) {
      // Fewer records than planned: the job shrank or went away after it was sized.
      LOG.warn("Job {} ended at record {} although {} were planned for range [{}, {})", key, last + 1, to, from, to);
      shortJobs.inc();
    }
  }

  /** Whether records that do not convert go to the error handler (else they fail the bundle). */
  boolean routesFailures() {
    return conversion.routesFailures();
  }

  /** Publishes the client's traffic since the last call as Beam metrics, from the calling DoFn thread. */
  void publishMetrics() {
    if (shared != null) {
      shared.publishMetrics();
    }
  }

  void teardown() {
    if (shared != null) {
      // no metrics here: outside a bundle there is no metrics container (FinishBundle published them)
      shared.release();
      shared = null;
      client = null;
    }
  }
}
