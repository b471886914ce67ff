package io.scrapinghubio.beam.read;

import com.fasterxml.jackson.databind.JsonMappingException;
import io.scrapinghubio.beam.failure.BadRecords;
import io.scrapinghubio.beam.failure.ScrapinghubFailure;
import io.scrapinghubio.beam.metrics.ClientMetrics;
import io.scrapinghubio.client.read.JobRecord;
import java.io.Serializable;
import java.util.function.Consumer;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Turns a record into the read's output type, and decides what happens to one that does not
 * convert: without an error handler it fails the bundle, naming its key and the reason; with one
 * ({@code withBadRecordErrorHandler}) it becomes a {@link BadRecord} holding the record as read (a
 * {@link ScrapinghubRecord}: its JSON, key, job and spider). Either way it is counted in
 * {@code read_records_failed}. The one rule of the bounded read ({@link RangeReader}) and the
 * continuous one ({@code beam.follow.FollowJobFn}).
 *
 * <p>Plumbing shared with the continuous read, not API.
 *
 * @param <T> the read's output type
 */
@Internal
public final class RecordConversion<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What each record becomes. */
  private final OutputFormat<T> format;
  /** Whether a record that does not convert goes to the error handler (else it fails the bundle). */
  private final boolean routes;
  /** {@code read_records_failed}. */
  private final Counter failed = Metrics.counter(ClientMetrics.NAMESPACE, "read_records_failed");

  /**
   * The conversion of the read's records.
   *
   * @param format what each record becomes
   * @param routes whether a record that does not convert goes to the error handler (else it fails the bundle)
   */
  public RecordConversion(OutputFormat<T> format, boolean routes) {
    this.format = format;
    this.routes = routes;
  }

  /** Whether records that do not convert go to the error handler (else they fail the bundle). */
  boolean routesFailures() {
    return routes;
  }

  /**
   * The record converted, or null when it did not and was handed to {@code failures}.
   *
   * @throws IllegalStateException when it did not convert and there is no error handler
   */
  @Nullable T convert(JobRecord r, String jobKey, Consumer<BadRecord> failures) {
    return convert(r, jobKey, null, failures);
  }

  /**
   * As {@link #convert(JobRecord, String, Consumer)}, for a job whose spider is {@code spider} (null: unknown).
   *
   * @param r the record as read
   * @param jobKey its job's key, {@code P/S/J}
   * @param spider its job's spider, null when unknown
   * @param failures where a record that does not convert goes, when there is an error handler
   * @return the record converted, or null when it did not and was handed to {@code failures}
   * @throws IllegalStateException when it did not convert and there is no error handler
   */
  public @Nullable T convert(JobRecord r, String jobKey, @Nullable String spider, Consumer<BadRecord> failures) {
    try {
      return format.convert(r, jobKey, spider);
    } catch (Exception e) {
      failed.inc();
      String reason = reason(e);
      String failure = "CONVERSION: record " + r.key() + " of job " + jobKey + " cannot be converted to " + format.describe()
          + ": " + reason;
      if (!routes) {
        throw new IllegalStateException(failure
            + " (read().withBadRecordErrorHandler(handler) routes such records to a Beam ErrorHandler instead)", e);
      }
      ScrapinghubRecord record = ScrapinghubRecord.ofUtf8(jobKey, r.index(), r.jsonBytes(), spider,
          r.hasTimestamp() ? r.timestamp() : Long.MIN_VALUE);
      failures.accept(BadRecords.of(record, ScrapinghubRecordCoder.of(), r.json(), new IllegalStateException(failure, e),
          ScrapinghubFailure.ofRecord(r.key(), reason).description()));
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
