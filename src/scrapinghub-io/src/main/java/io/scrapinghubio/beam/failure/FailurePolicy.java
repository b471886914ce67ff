package io.scrapinghubio.beam.failure;

/**
 * What a read or a write does with a record that can never be converted or written (see
 * {@link FailureKind}).
 */
public enum FailurePolicy {
  /**
   * Emit it to the failure output with the reason ({@code WriteResult.getFailedRecords()},
   * {@code ReadResult.failures()}), and go on with everything else. The default of the writes and
   * of {@code read().withFailureOutput()}.
   */
  OUTPUT,
  /**
   * Fail the bundle, and so the pipeline, on the first such record, naming it and the reason. The
   * default of a read applied as a plain {@code PCollection} (it has no failure output, and must
   * not drop records silently).
   */
  FAIL
}
