package io.scrapinghubio.client.write;

import io.scrapinghubio.client.errors.BadRequestException;
import java.util.Objects;

/**
 * A {@link RecordEncoder} refused a record before anything was sent, because the target could
 * never store it (the service would answer the whole request with HTTP 400). {@link #reason()}
 * tells why, for callers that sort refused records, e.g. into a dead-letter output.
 */
public class RecordRejectedException extends BadRequestException {
  private static final long serialVersionUID = 1L;

  /** Why a record was refused. */
  public enum Reason {
    /** No record (null), text that is not valid JSON, or an object that cannot be turned into JSON. */
    NOT_JSON,
    /** Valid JSON, but not the JSON object the target stores (e.g. an array given to a collection). */
    NOT_AN_OBJECT,
    /** A collection record without a non-empty string {@code _key}, or an empty key to delete. */
    MISSING_KEY
  }

  /** See {@link #reason()}. */
  private final Reason reason;

  /**
   * A refusal before upload.
   *
   * @param reason why
   * @param message the message naming the record
   * @param cause the underlying exception, or null
   */
  public RecordRejectedException(Reason reason, String message, Throwable cause) {
    super(message, -1, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * Why the record was refused.
   *
   * @return the reason
   */
  public Reason reason() {
    return reason;
  }
}
