package io.scrapinghubio.beam.write;

/** Why a record was not written. Every kind is permanent: retrying the same record cannot succeed. */
public enum WriteErrorKind {
  /** The record is over 1 MiB (1,048,576 bytes) once encoded as UTF-8 JSON (the service answers 413). */
  VALUE_TOO_LARGE,
  /** A collection record without a non-empty {@code _key}, a frontier request without {@code fp}, or an empty key to delete. */
  MISSING_KEY,
  /** The record is not what the target accepts: not a JSON object, not valid JSON, or routed to an invalid slot name. */
  INVALID_RECORD,
  /** The service refused the record itself (HTTP 400) although it passed the checks made before upload. */
  BAD_REQUEST
}
