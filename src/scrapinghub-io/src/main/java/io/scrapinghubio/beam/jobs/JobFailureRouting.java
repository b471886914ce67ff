package io.scrapinghubio.beam.jobs;

import io.scrapinghubio.beam.failure.BadRecords;
import io.scrapinghubio.client.RunRequest;
import io.scrapinghubio.client.json.Json;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Where a job transform's failures go: with an error handler ({@code withBadRecordErrorHandler}),
 * to that handler as Beam {@link BadRecord}s. Without one the transform's DoFn fails the bundle at
 * the first failure (it is built with {@code failFast}, see {@link #failFast}), with
 * {@link JobFailedException}, whose message is {@link #description}: it names the job or the request.
 */
final class JobFailureRouting {
  private JobFailureRouting() {}

  /** Whether a transform with this handler fails at its first failure: it has none to send it to. */
  static boolean failFast(@Nullable ErrorHandler<BadRecord, ?> handler) {
    return handler == null;
  }

  /**
   * Hands {@code failures} to {@code handler} as bad records. Without a handler the DoFns threw at
   * the first failure and {@code failures} is empty; it is then left unconsumed.
   */
  static void route(PCollection<JobFailure> failures, @Nullable ErrorHandler<BadRecord, ?> handler) {
    failures.setCoder(SerializableCoder.of(JobFailure.class));
    if (handler != null) {
      handler.addErrorCollection(failures.apply("ToBadRecords", ParDo.of(new ToBadRecordFn()))
          .setCoder(BadRecord.getCoder(failures.getPipeline())));
    }
  }

  /**
   * The failure in one line: kind, operation, the job (or the run request), the HTTP status when
   * the service answered one, the attempts and the reason; what {@link JobFailure} tells, as text
   * ({@link io.scrapinghubio.beam.failure.ScrapinghubFailure#description()}).
   */
  static String description(JobFailure f) {
    return f.toFailure().description();
  }

  /**
   * A failure as the bad record the handler gets: the element that failed, the job key
   * ({@code StringUtf8Coder}) or the run request ({@code SerializableCoder}), and the description.
   */
  static final class ToBadRecordFn extends DoFn<JobFailure, BadRecord> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(@Element JobFailure f, OutputReceiver<BadRecord> out) {
      String description = description(f);
      Exception e = new JobFailedException(description, null);
      if (f.jobKey() != null) {
        out.output(BadRecords.of(f.jobKey(), StringUtf8Coder.of(), Json.write(f.jobKey()), e, description));
      } else {
        RunRequest r = f.request();
        out.output(BadRecords.of(r, SerializableCoder.of(RunRequest.class), Json.write(String.valueOf(r)), e, description));
      }
    }
  }

  /**
   * Why a job element was not handled: the bad record's exception, and what fails the pipeline
   * without a handler. The message is the whole story; the cause, when given, is the client's error.
   */
  static final class JobFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    JobFailedException(String message, @Nullable Throwable cause) {
      super(message, cause, false, false);
    }
  }
}
