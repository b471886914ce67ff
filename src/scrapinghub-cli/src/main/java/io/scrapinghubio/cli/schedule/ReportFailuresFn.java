package io.scrapinghubio.cli.schedule;

import io.scrapinghubio.cli.console.ErrorText;
import io.scrapinghubio.cli.progress.LiveCounts;
import io.scrapinghubio.client.RunRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
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
 * job transform's description is {@code <KIND>: <operation> of job <key>|request <request>[ (HTTP
 * n)] after N attempt(s): <reason>}; its record is the job key, or the run request, encoded. Both
 * are read back here to word the line for a person; any other bad record (the read's) is listed by
 * its description.
 */
final class ReportFailuresFn extends DoFn<BadRecord, Void> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ReportFailuresFn.class);
  private static final Pattern CLOSE_REASON = Pattern.compile("close reason '([^']*)', expected one of \\[(.*)]");
  private static final Pattern STILL = Pattern.compile(" still (\\S+) after ");
  /** The client's "POST https://host/api/run.json failed: " before the service's own words. */
  private static final Pattern REQUEST_PREFIX = Pattern.compile("^[A-Z]+ \\S+ failed: ");
  /** The start of a job transform's description: kind, operation, and whether a job or a request follows. */
  private static final Pattern HEAD = Pattern.compile("^([A-Z_]+): (schedule|await|updateTags|cancel|delete) of (job|request) ");
  /** The end of it, after the job or the request: the HTTP status, the attempts, the reason. */
  private static final Pattern TAIL = Pattern.compile("^(?: \\(HTTP (\\d+)\\))? after \\d+ attempt\\(s\\): (.*)$", Pattern.DOTALL);
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
   * One line naming the job (or the run request) and what went wrong, e.g. {@code job 1/2/3 closed
   * with reason 'failed' (accepted: finished)}, {@code spider nope (category=poetry) was not
   * scheduled: Spider nope not found (HTTP 400)}; a bad record that is not a job transform's, by
   * its description.
   */
  static String describe(BadRecord b) {
    String description = String.valueOf(b.getFailure().getDescription());
    Matcher head = HEAD.matcher(description);
    if (!head.find()) {
      return ErrorText.oneLine(description);
    }
    String kind = head.group(1);
    String operation = head.group(2);
    String jobKey = null;
    RunRequest request = null;
    String named;
    try {
      ByteArrayInputStream encoded = new ByteArrayInputStream(b.getRecord().getEncodedRecord());
      if (head.group(3).equals("job")) {
        jobKey = StringUtf8Coder.of().decode(encoded);
        named = "job " + jobKey;
      } else {
        request = SerializableCoder.of(RunRequest.class).decode(encoded);
        named = "request " + request;
      }
    } catch (IOException | RuntimeException e) {
      // Not the record the description names: the description still says everything.
      return ErrorText.oneLine(description);
    }
    String rest = description.substring(head.end() - (head.group(3).length() + 1));
    Matcher tail = rest.startsWith(named) ? TAIL.matcher(rest.substring(named.length())) : null;
    if (tail == null || !tail.matches()) {
      return ErrorText.oneLine(description);
    }
    int status = tail.group(1) == null ? -1 : Integer.parseInt(tail.group(1));
    return describe(kind, operation, jobKey, request, status, tail.group(2));
  }

  private static String describe(String kind, String operation, String jobKey, RunRequest request, int status, String reason) {
    String message = ErrorText.oneLine(reason);
    switch (kind) {
      case "CLOSE_REASON" -> {
        Matcher m = CLOSE_REASON.matcher(message);
        if (m.find()) {
          return "job " + jobKey + " closed with reason '" + m.group(1) + "' (accepted: " + m.group(2)
              + "; --close-reason)";
        }
      }
      case "TIMEOUT" -> {
        Matcher m = STILL.matcher(message);
        return "job " + jobKey + " did not finish within --timeout" + (m.find() ? " (still " + m.group(1) + ")" : "");
      }
      default -> {
        // other kinds: the generic line below
      }
    }
    String what = jobKey != null ? "job " + jobKey : request != null ? "spider " + describe(request) : operation;
    String verb = switch (operation) {
      case "schedule" -> " was not scheduled: ";
      case "updateTags" -> " could not be tagged: ";
      case "cancel" -> " could not be cancelled: ";
      case "delete" -> " could not be deleted: ";
      default -> " could not be " + operation + "ed: ";
    };
    return what + verb + REQUEST_PREFIX.matcher(message).replaceFirst("") + (status > 0 ? " (HTTP " + status + ")" : "");
  }

  /** e.g. "books (category=poetry)". */
  private static String describe(RunRequest r) {
    return r.spider() + (r.args().isEmpty() ? "" : " " + r.args().toString().replace('{', '(').replace('}', ')')
        .replace(", ", ","));
  }
}
