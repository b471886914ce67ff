package io.scrapinghubio.beam.jobs;

import io.scrapinghubio.beam.BadRecordsSink;
import io.scrapinghubio.beam.failure.ScrapinghubFailure;
import io.scrapinghubio.client.RunRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
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
 * record), kind, status, attempts and message, all read back from the description by
 * {@link ScrapinghubFailure#of(BadRecord)}. A test can thus check every field the failure had, and
 * a description that does not carry one fails the read.
 */
final class JobFailures {
  private static final AtomicLong IDS = new AtomicLong();

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
    ScrapinghubFailure f = ScrapinghubFailure.of(b).orElseThrow(() -> new AssertionError("not a job failure's description: " + d));
    if (f.subjectType() != ScrapinghubFailure.Subject.JOB && f.subjectType() != ScrapinghubFailure.Subject.REQUEST) {
      throw new AssertionError("not a job transform's failure: " + d);
    }
    String jobKey = null;
    RunRequest request = null;
    try {
      ByteArrayInputStream encoded = new ByteArrayInputStream(b.getRecord().getEncodedRecord());
      if (f.subjectType() == ScrapinghubFailure.Subject.JOB) {
        jobKey = StringUtf8Coder.of().decode(encoded);
      } else {
        request = SerializableCoder.of(RunRequest.class).decode(encoded);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode the record of " + d, e);
    }
    if (!f.subject().equals(jobKey != null ? jobKey : String.valueOf(request))) {
      throw new AssertionError("the description does not name the record's " + (jobKey != null ? jobKey : request) + ": " + d);
    }
    return new JobFailure(f.operation().word(), request, jobKey, f.kind(), f.status().orElse(-1),
        f.reason(), f.attempts().orElseThrow());
  }
}
