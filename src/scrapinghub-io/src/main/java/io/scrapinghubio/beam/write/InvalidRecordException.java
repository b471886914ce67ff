package io.scrapinghubio.beam.write;

import io.scrapinghubio.beam.failure.ScrapinghubFailure;

/** Thrown by a {@link RecordFormat} for a record the target can never accept. */
final class InvalidRecordException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ScrapinghubFailure.Kind kind;
  private final String record;

  InvalidRecordException(ScrapinghubFailure.Kind kind, String message, String record) {
    super(message);
    this.kind = kind;
    this.record = record;
  }

  ScrapinghubFailure.Kind kind() {
    return kind;
  }

  /** The record as text, for the failure output. */
  String record() {
    return record;
  }
}
