package io.scrapinghubio.beam.write;

import io.scrapinghubio.beam.failure.ScrapinghubFailure;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * A record a read could not convert or a write could not store, and why: route these to a
 * dead-letter sink. One type for reads and writes, so one dead-letter sink serves both.
 *
 * <ul>
 *   <li>{@link #record()}: the record's JSON text. Reads: exactly as stored. Writes: as it would
 *       have been sent (its JSON line, with {@code _key} for collections, or the JSON string of a
 *       key to delete), or {@code String.valueOf(element)} when the element could not be encoded.
 *   <li>{@link #kind()}: {@link ScrapinghubFailure.Kind#CONVERSION} for reads, a write kind otherwise.
 *   <li>{@link #message()}: the reason; for conversions, which field, what was expected, what was
 *       found.
 *   <li>{@link #location()}: reads: the job the record was read from ({@code P/S/J}); writes: where
 *       it was going, e.g. {@code collection s/dedup} or {@code frontier links slot example.com}.
 *   <li>{@link #key()}: reads: the record's key {@code P/S/J/N}; writes: empty.
 *   <li>{@link #status()}: the HTTP status the service answered, or -1 (every read failure, and a
 *       write refused before upload).
 * </ul>
 */
@DefaultCoder(FailedRecordCoder.class)
final class FailedRecord implements Serializable {
  private static final long serialVersionUID = 2L;

  /** The record's JSON text; see {@link #record()}. */
  private final String record;
  /** Why it failed, typed. */
  private final ScrapinghubFailure.Kind kind;
  /** The reason, in words. */
  private final String message;
  /** The job read from, or the write's destination. */
  private final String location;
  /** The record's key (reads), or empty (writes). */
  private final String key;
  /** The service's HTTP status, or -1. */
  private final int status;

  /**
   * A write failure: the record going to {@code destination}, refused with {@code status} (-1
   * before upload).
   *
   * @param record the record's JSON text as it would have been sent
   * @param kind a write kind
   * @param message the reason
   * @param destination where the record was going, e.g. {@code collection s/dedup}
   * @param status the HTTP status the service answered, or -1 when refused before upload
   */
  public FailedRecord(String record, ScrapinghubFailure.Kind kind, String message, String destination, int status) {
    this(record, kind, message, destination, "", status);
  }

  /**
   * A failure with every field given; see the class comment for what each holds.
   *
   * @param record the record's JSON text
   * @param kind why it failed
   * @param message the reason
   * @param location reads: the job ({@code P/S/J}); writes: the destination
   * @param key reads: the record's key ({@code P/S/J/N}); writes: empty
   * @param status the HTTP status the service answered, or -1
   */
  public FailedRecord(String record, ScrapinghubFailure.Kind kind, String message, String location, String key, int status) {
    this.record = Objects.requireNonNull(record, "record");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.message = Objects.requireNonNull(message, "message");
    this.location = Objects.requireNonNull(location, "location");
    this.key = Objects.requireNonNull(key, "key");
    this.status = status;
  }

  /**
   * A read failure: record {@code key} ({@code P/S/J/N}) of job {@code jobKey} did not convert.
   *
   * @param record the record's JSON text, as stored
   * @param key the record's key, {@code P/S/J/N}
   * @param jobKey the job it was read from, {@code P/S/J}
   * @param message which field, what was expected and what was found
   * @return a failure of kind {@link ScrapinghubFailure.Kind#CONVERSION} with status -1
   */
  public static FailedRecord conversion(String record, String key, String jobKey, String message) {
    return new FailedRecord(record, ScrapinghubFailure.Kind.CONVERSION, message, jobKey, key, -1);
  }

  /**
   * The record's JSON text: as stored (reads), or as it would have been sent (writes).
   *
   * @return the JSON text
   */
  public String record() {
    return record;
  }

  /**
   * Why the record failed, typed.
   *
   * @return {@link ScrapinghubFailure.Kind#CONVERSION} for reads, a write kind otherwise
   */
  public ScrapinghubFailure.Kind kind() {
    return kind;
  }

  /**
   * The reason, in words.
   *
   * @return for conversions: which field, what was expected and what was found
   */
  public String message() {
    return message;
  }

  /**
   * Reads: the job read from ({@code P/S/J}); writes: the destination.
   *
   * @return a job key or a destination
   */
  public String location() {
    return location;
  }

  /**
   * Reads: the record's key {@code P/S/J/N}; writes: empty.
   *
   * @return a record key, or the empty string
   */
  public String key() {
    return key;
  }

  /**
   * The HTTP status the service answered.
   *
   * @return the status, or -1 for every read failure and a write refused before upload
   */
  public int status() {
    return status;
  }

  /**
   * This failure as users see it, the bad record's {@link ScrapinghubFailure}: a write's
   * (destination, status), or a read's for {@link ScrapinghubFailure.Kind#CONVERSION} (the record's key).
   *
   * @return the failure
   */
  ScrapinghubFailure toFailure() {
    if (kind == ScrapinghubFailure.Kind.CONVERSION) {
      return ScrapinghubFailure.ofRecord(key, message);
    }
    return ScrapinghubFailure.ofWrite(kind, location, status, message);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof FailedRecord)) {
      return false;
    }
    FailedRecord f = (FailedRecord) o;
    return status == f.status && record.equals(f.record) && kind == f.kind && message.equals(f.message)
        && location.equals(f.location) && key.equals(f.key);
  }

  @Override
  public int hashCode() {
    return Objects.hash(record, kind, message, location, key, status);
  }

  @Override
  public String toString() {
    String r = record.length() > 200 ? record.substring(0, 200) + "... (" + record.length() + " chars)" : record;
    String where = kind == ScrapinghubFailure.Kind.CONVERSION ? " of record " + key + " (job " + location + ")" : " to " + location;
    return "FailedRecord{" + kind + where + (status > 0 ? " (HTTP " + status + ")" : "") + ": " + message
        + "; record=" + r + "}";
  }
}
