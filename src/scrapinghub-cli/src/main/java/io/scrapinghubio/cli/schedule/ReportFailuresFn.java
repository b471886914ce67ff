package io.scrapinghubio.cli.schedule;

import io.scrapinghubio.beam.failure.ScrapinghubFailure;
import io.scrapinghubio.beam.failure.ScrapinghubFailure.Subject;
import io.scrapinghubio.cli.console.ErrorText;
import io.scrapinghubio.cli.progress.LiveCounts;
import io.scrapinghubio.client.RunRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.regex.Pattern;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each failed job to the command, which lists them after the summary, one line each. On a
 * remote cluster the command's JVM is out of reach, so the failure is logged where the worker runs
 * instead (the summary still counts them, from the pipeline's metrics).
 *
 * <p>The failures arrive as the crawl's bad records ({@link Sink} is the error handler's sink). A
 * job transform's is read back with {@link ScrapinghubFailure#of(BadRecord)} (kind, operation, job,
 * status, reason) and its record, the run request, decoded, to word the line for a person; any
 * other bad record (the read's) is listed by its description.
 */
final class ReportFailuresFn extends DoFn<BadRecord, Void> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ReportFailuresFn.class);
  /** The client's "POST https://host/api/run.json failed: " before the service's own words. */
  private static final Pattern REQUEST_PREFIX = Pattern.compile("^[A-Z]+ \\S+ failed: ");
  private final String countsId;

  ReportFailuresFn(String countsId) {
    this.countsId = countsId;
  }

  /** The error handler's sink: every bad record of the crawl becomes a line of the command's list. */
  static final class Sink extends PTransform<PCollection<BadRecord>, PDone> {
    private static final long serialVersionUID = 1L;
    private final String countsId;

    Sink(String countsId) {
      this.countsId = countsId;
    }

    @Override
    public PDone expand(PCollection<BadRecord> failures) {
      failures.apply("ReportFailures", ParDo.of(new ReportFailuresFn(countsId)));
      return PDone.in(failures.getPipeline());
    }
  }

  @ProcessElement
  public void process(@Element BadRecord failure) {
    LiveCounts counts = LiveCounts.inThisJvm(countsId);
    String line = describe(failure);
    if (counts != null) {
      counts.failed(line);
    } else {
      LOG.warn("Job failed: {}", line);
    }
  }

  /**
   * One line naming the job (or the run request) and what went wrong, e.g. {@code job 1/2/3
   * finished with close reason 'failed', expected one of [finished] (--close-reason)}, {@code spider nope (category=poetry) was not
   * scheduled: Spider nope not found (HTTP 400)}; a bad record that is not a job transform's, by
   * its description.
   */
  static String describe(BadRecord b) {
    String description = String.valueOf(b.getFailure().getDescription());
    ScrapinghubFailure f = ScrapinghubFailure.of(b).orElse(null);
    if (f == null || (f.subjectType() != Subject.JOB && f.subjectType() != Subject.REQUEST)) {
      return ErrorText.oneLine(description);
    }
    RunRequest request = null;
    if (f.subjectType() == Subject.REQUEST) {
      try {
        request = SerializableCoder.of(RunRequest.class).decode(new ByteArrayInputStream(b.getRecord().getEncodedRecord()));
      } catch (IOException | RuntimeException e) {
        // Not the record the description names: the description still says everything.
        return ErrorText.oneLine(description);
      }
    }
    return describe(f, request);
  }

  private static String describe(ScrapinghubFailure f, RunRequest request) {
    String message = ErrorText.oneLine(f.reason());
    String jobKey = f.jobKey();
    // awaitJobs' reasons name the job and say what it did (its close reason and those accepted, or
    // the state it was still in): they are shown as they are, with the option that decides.
    switch (f.kind()) {
      case CLOSE_REASON -> {
        return message + " (--close-reason)";
      }
      case TIMEOUT -> {
        return message + " (--timeout)";
      }
      default -> {
        // other kinds: the generic line below
      }
    }
    String what = request != null ? "spider " + describe(request) : "job " + jobKey;
    String verb = switch (f.operation()) {
      case SCHEDULE -> " was not scheduled: ";
      case UPDATE_TAGS -> " could not be tagged: ";
      case CANCEL -> " could not be cancelled: ";
      case DELETE -> " could not be deleted: ";
      default -> " could not be " + f.operation().word() + "ed: ";
    };
    return what + verb + REQUEST_PREFIX.matcher(message).replaceFirst("")
        + (f.status().isPresent() ? " (HTTP " + f.status().getAsInt() + ")" : "");
  }

  /** e.g. "books (category=poetry)". */
  private static String describe(RunRequest r) {
    return r.spider() + (r.args().isEmpty() ? "" : " " + r.args().toString().replace('{', '(').replace('}', ')')
        .replace(", ", ","));
  }
}
