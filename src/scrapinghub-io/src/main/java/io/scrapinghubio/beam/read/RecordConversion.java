package io.scrapinghubio.beam.read;

import com.fasterxml.jackson.databind.JsonMappingException;
import io.scrapinghubio.beam.failure.FailedRecord;
import io.scrapinghubio.beam.failure.FailurePolicy;
import io.scrapinghubio.beam.metrics.ClientMetrics;
import io.scrapinghubio.client.read.JobRecord;
import java.io.Serializable;
import java.util.function.Consumer;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Turns a record into the read's output type, and decides what happens to one that does not
 * convert: under {@link FailurePolicy#FAIL} it fails the bundle, naming its key and the reason;
 * under {@link FailurePolicy#OUTPUT} it becomes a {@link FailedRecord} for the failure output.
 * Either way it is counted in {@code read_records_failed}. The one rule of the bounded read
 * ({@link RangeReader}) and the continuous one ({@link FollowJobFn}).
 */
final class RecordConversion<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final OutputFormat<T> format;
  private final FailurePolicy policy;
  private final Counter failed = Metrics.counter(ClientMetrics.NAMESPACE, "read_records_failed");

  RecordConversion(OutputFormat<T> format, FailurePolicy policy) {
    this.format = format;
    this.policy = policy;
  }

  /** Whether records that do not convert go to a failure output (else they fail the bundle). */
  boolean routesFailures() {
    return policy == FailurePolicy.OUTPUT;
  }

  /**
   * The record converted, or null when it did not and was handed to {@code failures}.
   *
   * @throws IllegalStateException when it did not convert and the policy is FAIL
   */
  @Nullable T convert(JobRecord r, String jobKey, Consumer<FailedRecord> failures) {
    return convert(r, jobKey, null, failures);
  }

  /** As {@link #convert(JobRecord, String, Consumer)}, for a job whose spider is {@code spider} (null: unknown). */
  @Nullable T convert(JobRecord r, String jobKey, @Nullable String spider, Consumer<FailedRecord> failures) {
    try {
      return format.convert(r, jobKey, spider);
    } catch (Exception e) {
      failed.inc();
      String reason = reason(e);
      if (policy == FailurePolicy.FAIL) {
        throw new IllegalStateException("record " + r.key() + " cannot be converted to " + format.describe() + ": " + reason
            + " (read().withFailureOutput() routes such records to ReadResult.failures() instead)", e);
      }
      failures.accept(FailedRecord.conversion(r.json(), r.key(), jobKey, reason));
      return null;
    }
  }

  /** What is wrong with the record, for a person: which field, expected what, found what. */
  static String reason(Exception e) {
    if (e instanceof JsonMappingException) {
      JsonMappingException m = (JsonMappingException) e; // Jackson binding to a user class
      String path = m.getPath().isEmpty() ? "" : "field '" + pathOf(m) + "': ";
      return path + m.getOriginalMessage().replaceAll("\\s+", " ");
    }
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }

  private static String pathOf(JsonMappingException m) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference ref : m.getPath()) {
      if (ref.getFieldName() != null) {
        b.append(b.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        b.append('[').append(ref.getIndex()).append(']');
      }
    }
    return b.toString();
  }
}
