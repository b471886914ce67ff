package io.scrapinghubio.emulator.fault;

/** What a fault rule does to a matching request. */
public enum FaultKind {
  /** Replace the response by an error status (429 with Retry-After, 5xx with a proxy page...). */
  STATUS,
  /** Delay the response. */
  LATENCY,
  /** Send headers and the first bytes of the body, then drop the connection. */
  TRUNCATE,
  /** Drop the connection before any response byte. */
  RESET,
  /**
   * Handle the request (writes are applied) and then drop the connection before any response
   * byte: the acknowledgement is lost, so a client that retries sends the same request again.
   */
  RESET_AFTER_HANDLING
}
