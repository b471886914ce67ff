package io.scrapinghubio.beam.write;


/** Thrown by a {@link RecordFormat} for a record the target can never accept. */
final class InvalidRecordException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final FailureKind kind;
  private final String record;

  InvalidRecordException(FailureKind kind, String message, String record) {
    super(message);
    this.kind = kind;
    this.record = record;
  }

  FailureKind kind() {
    return kind;
  }

  /** The record as text, for the failure output. */
  String record() {
    return record;
  }
}
