package io.scrapinghubio.beam.failure;

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
 *   <li>{@link #kind()}: {@link FailureKind#CONVERSION} for reads, a write kind otherwise.
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
public final class FailedRecord implements Serializable {
  private static final long serialVersionUID = 2L;

  private final String record;
  private final FailureKind kind;
  private final String message;
  private final String location;
  private final String key;
  private final int status;

  /** A write failure: the record going to {@code destination}, refused with {@code status} (-1 before upload). */
  public FailedRecord(String record, FailureKind kind, String message, String destination, int status) {
    this(record, kind, message, destination, "", status);
  }

  public FailedRecord(String record, FailureKind kind, String message, String location, String key, int status) {
    this.record = Objects.requireNonNull(record, "record");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.message = Objects.requireNonNull(message, "message");
    this.location = Objects.requireNonNull(location, "location");
    this.key = Objects.requireNonNull(key, "key");
    this.status = status;
  }

  /** A read failure: record {@code key} ({@code P/S/J/N}) of job {@code jobKey} did not convert. */
  public static FailedRecord conversion(String record, String key, String jobKey, String message) {
    return new FailedRecord(record, FailureKind.CONVERSION, message, jobKey, key, -1);
  }

  public String record() {
    return record;
  }

  public FailureKind kind() {
    return kind;
  }

  public String message() {
    return message;
  }

  /** Reads: the job read from ({@code P/S/J}); writes: the destination. */
  public String location() {
    return location;
  }

  /** Reads: the record's key {@code P/S/J/N}; writes: empty. */
  public String key() {
    return key;
  }

  public int status() {
    return status;
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
    String where = kind == FailureKind.CONVERSION ? " of record " + key + " (job " + location + ")" : " to " + location;
    return "FailedRecord{" + kind + where + (status > 0 ? " (HTTP " + status + ")" : "") + ": " + message
        + "; record=" + r + "}";
  }
}
