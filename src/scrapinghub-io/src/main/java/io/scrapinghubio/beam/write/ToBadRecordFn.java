package io.scrapinghubio.beam.write;

import io.scrapinghubio.beam.failure.BadRecords;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;

/**
 * A refused record as the Beam bad record the write's error handler gets. The record is the line
 * as it would have been sent, not the input element: a record the service refused exists only as
 * that line by then, and one shape for both is what a dead-letter sink can re-send.
 */
final class ToBadRecordFn extends DoFn<FailedRecord, BadRecord> {
  private static final long serialVersionUID = 1L;

  @ProcessElement
  public void process(@Element FailedRecord f, OutputReceiver<BadRecord> out) {
    String description = description(f);
    out.output(BadRecords.of(f.record(), StringUtf8Coder.of(), f.record(), new RefusedRecordException(description), description));
  }

  /** The kind, the destination, the service's status if it answered, and the reason: what the failure is known by. */
  static String description(FailedRecord f) {
    return f.toFailure().description();
  }

  /** Why the record was not written; the bad record's exception. */
  static final class RefusedRecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RefusedRecordException(String message) {
      super(message, null, false, false);
    }
  }
}
