package io.scrapinghubio.cli.schedule;

import io.scrapinghubio.beam.jobs.JobFailure;
import io.scrapinghubio.cli.console.ErrorText;
import io.scrapinghubio.cli.progress.LiveCounts;
import io.scrapinghubio.client.RunRequest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.transforms.DoFn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each failed job to the command, which lists them after the summary, one line each. On a
 * remote cluster the command's JVM is out of reach, so the failure is logged where the worker runs
 * instead (the summary still counts them, from the pipeline's metrics).
 */
final class ReportFailuresFn extends DoFn<JobFailure, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(ReportFailuresFn.class);
  private static final Pattern CLOSE_REASON = Pattern.compile("close reason '([^']*)', expected one of \\[(.*)]");
  private static final Pattern STILL = Pattern.compile(" still (\\S+) after ");
  /** The client's "POST https://host/api/run.json failed: " before the service's own words. */
  private static final Pattern REQUEST_PREFIX = Pattern.compile("^[A-Z]+ \\S+ failed: ");
  private final String countsId;

  ReportFailuresFn(String countsId) {
    this.countsId = countsId;
  }

  @ProcessElement
  public void process(@Element JobFailure failure) {
    LiveCounts counts = LiveCounts.inThisJvm(countsId);
    String line = describe(failure);
    if (counts != null) {
      counts.failed(line);
    } else {
      LOG.warn("Job failed: {}", line);
    }
  }

  /**
   * One line naming the job (or the run request) and what went wrong, e.g. {@code job 1/2/3 closed
   * with reason 'failed' (accepted: finished)}, {@code spider nope (category=poetry) was not
   * scheduled: Spider nope not found (HTTP 400)}.
   */
  static String describe(JobFailure f) {
    String message = ErrorText.oneLine(f.message());
    switch (f.kind()) {
      case CLOSE_REASON -> {
        Matcher m = CLOSE_REASON.matcher(message);
        if (m.find()) {
          return "job " + f.jobKey() + " closed with reason '" + m.group(1) + "' (accepted: " + m.group(2)
              + "; --close-reason)";
        }
      }
      case TIMEOUT -> {
        Matcher m = STILL.matcher(message);
        return "job " + f.jobKey() + " did not finish within --timeout" + (m.find() ? " (still " + m.group(1) + ")" : "");
      }
      default -> {
        // other kinds: the generic line below
      }
    }
    String what = f.jobKey() != null ? "job " + f.jobKey() : f.request() != null ? "spider " + describe(f.request())
        : f.operation();
    String verb = "schedule".equals(f.operation()) ? " was not scheduled: " : " could not be " + f.operation() + "ed: ";
    return what + verb + REQUEST_PREFIX.matcher(message).replaceFirst("") + (f.status() > 0 ? " (HTTP " + f.status() + ")"
        : "");
  }

  /** e.g. "books (category=poetry)". */
  private static String describe(RunRequest r) {
    return r.spider() + (r.args().isEmpty() ? "" : " " + r.args().toString().replace('{', '(').replace('}', ')')
        .replace(", ", ","));
  }
}
