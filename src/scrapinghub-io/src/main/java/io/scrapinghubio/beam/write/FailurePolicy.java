package io.scrapinghubio.beam.write;

/** What a write does with a record that can never be written (see {@link WriteErrorKind}). */
public enum FailurePolicy {
  /** Emit it to {@link WriteResult#getFailedRecords()} with the reason, and write everything else (default). */
  OUTPUT,
  /** Fail the bundle, and so the pipeline, on the first such record. */
  FAIL
}
