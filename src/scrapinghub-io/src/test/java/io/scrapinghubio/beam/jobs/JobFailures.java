package io.scrapinghubio.beam.jobs;

import io.scrapinghubio.beam.BadRecordsSink;
import io.scrapinghubio.client.RunRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler;
import org.apache.beam.sdk.values.PDone;

/**
 * A test's error handler for the job transforms, and what it received read back as
 * {@link JobFailure}s: the operation, the job key or the run request (decoded from the bad
 * record), kind, status, attempts and message, all parsed from the description. A test can thus
 * check every field the failure had, and a description that does not carry one fails the parse.
 */
final class JobFailures {
  private static final AtomicLong IDS = new AtomicLong();
  private static final Pattern HEAD = Pattern.compile("^([A-Z_]+): (\\w+) of ");
  private static final Pattern TAIL = Pattern.compile("^(?: \\(HTTP (\\d+)\\))? after (\\d+) attempt\\(s\\): (.*)$", Pattern.DOTALL);

  private final String name;
  private final BadRecordErrorHandler<PDone> handler;

  private JobFailures(String name, BadRecordErrorHandler<PDone> handler) {
    this.name = name;
    this.handler = handler;
  }

  /** Registers a handler on {@code p}; close it ({@link #close()}) before running {@code p}. */
  static JobFailures register(Pipeline p) {
    String name = "job-failures-" + IDS.incrementAndGet();
    return new JobFailures(name, BadRecordsSink.register(p, name));
  }

  BadRecordErrorHandler<PDone> handler() {
    return handler;
  }

  void close() {
    handler.close();
  }

  /** The bad records received so far. */
  List<BadRecord> badRecords() {
    return BadRecordsSink.get(name);
  }

  /** The failures received so far, in arrival order. */
  List<JobFailure> get() {
    return badRecords().stream().map(JobFailures::parse).collect(Collectors.toList());
  }

  /** The failure a job transform's bad record tells; an {@link AssertionError} if it cannot be read back. */
  static JobFailure parse(BadRecord b) {
    String d = b.getFailure().getDescription();
    Matcher head = HEAD.matcher(d);
    if (!head.find()) {
      throw new AssertionError("not a job failure's description: " + d);
    }
    JobFailure.Kind kind = JobFailure.Kind.valueOf(head.group(1));
    String operation = head.group(2);
    String rest = d.substring(head.end());
    String jobKey = null;
    RunRequest request = null;
    String what;
    try {
      ByteArrayInputStream encoded = new ByteArrayInputStream(b.getRecord().getEncodedRecord());
      if (rest.startsWith("job ")) {
        jobKey = StringUtf8Coder.of().decode(encoded);
        what = "job " + jobKey;
      } else {
        request = SerializableCoder.of(RunRequest.class).decode(encoded);
        what = "request " + request;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode the record of " + d, e);
    }
    if (!rest.startsWith(what)) {
      throw new AssertionError("the description does not name the record's " + what + ": " + d);
    }
    Matcher tail = TAIL.matcher(rest.substring(what.length()));
    if (!tail.matches()) {
      throw new AssertionError("no status, attempts and message in: " + d);
    }
    int status = tail.group(1) == null ? -1 : Integer.parseInt(tail.group(1));
    return new JobFailure(operation, request, jobKey, kind, status, tail.group(3), Integer.parseInt(tail.group(2)));
  }
}
