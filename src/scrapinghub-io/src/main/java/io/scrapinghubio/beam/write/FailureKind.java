package io.scrapinghubio.beam.write;

/**
 * Why a record was not written, the first word of its bad record's description. Every kind is
 * permanent: retrying the same record cannot succeed, so the record goes to the write's error
 * handler, or fails the pipeline without one. Each is the
 * {@link io.scrapinghubio.beam.failure.ScrapinghubFailure.Kind} of the same name.
 */
enum FailureKind {
  /** Write: the record is over 1 MiB (1,048,576 bytes) once encoded as UTF-8 JSON (the service answers 413). */
  VALUE_TOO_LARGE,
  /** Write: a collection record without a non-empty {@code _key}, a frontier request without {@code fp}, or an empty key to delete. */
  MISSING_KEY,
  /** Write: the record is not what the target accepts: not a JSON object, not valid JSON, or routed to an invalid slot name. */
  INVALID_RECORD,
  /** Write: the service refused the record itself (HTTP 400) although it passed the checks made before upload. */
  BAD_REQUEST,
  /**
   * Read: the record does not convert to the read's output (its Beam schema, or the user's class):
   * e.g. a string where the schema has a DOUBLE, an object where it has a scalar, nesting deeper
   * than the schema.
   */
  CONVERSION
}
