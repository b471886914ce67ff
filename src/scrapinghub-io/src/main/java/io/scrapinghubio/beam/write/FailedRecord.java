package io.scrapinghubio.beam.write;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * A record a write could not store, and why: route these to a dead-letter sink.
 *
 * <p>{@link #record()} is the record as it would have been sent (its JSON line, with {@code _key}
 * for collections, or the JSON string of a key to delete), or {@code String.valueOf(element)} when
 * the element could not be encoded at all. {@link #destination()} names where it was going, e.g.
 * {@code collection s/dedup} or {@code frontier links slot example.com}. {@link #status()} is the
 * HTTP status the service answered, or -1 when the record was refused before upload.
 */
@DefaultCoder(FailedRecordCoder.class)
public final class FailedRecord implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String record;
  private final WriteErrorKind kind;
  private final String message;
  private final String destination;
  private final int status;

  public FailedRecord(String record, WriteErrorKind kind, String message, String destination, int status) {
    this.record = Objects.requireNonNull(record, "record");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.message = Objects.requireNonNull(message, "message");
    this.destination = Objects.requireNonNull(destination, "destination");
    this.status = status;
  }

  public String record() {
    return record;
  }

  public WriteErrorKind kind() {
    return kind;
  }

  public String message() {
    return message;
  }

  public String destination() {
    return destination;
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
        && destination.equals(f.destination);
  }

  @Override
  public int hashCode() {
    return Objects.hash(record, kind, message, destination, status);
  }

  @Override
  public String toString() {
    String r = record.length() > 200 ? record.substring(0, 200) + "... (" + record.length() + " chars)" : record;
    return "FailedRecord{" + kind + " to " + destination + (status > 0 ? " (HTTP " + status + ")" : "") + ": " + message
        + "; record=" + r + "}";
  }
}
