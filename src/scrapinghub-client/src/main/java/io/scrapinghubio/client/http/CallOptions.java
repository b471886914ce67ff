package io.scrapinghubio.client.http;

/**
 * Per-request instructions for the interceptors, attached as an OkHttp request tag.
 *
 * @param idempotent whether repeating the call is harmless: only then are HTTP errors and mid-call
 *     I/O failures retried. Non-idempotent calls (run.json, jobq push) are retried only when the
 *     connection could not be opened, i.e. the request certainly never reached the server.
 * @param bufferBody read the whole body inside the retry loop, so a body cut mid-stream is retried
 *     like any other transient failure. Used for bounded pages and small JSON answers; never for
 *     unbounded downloads.
 * @param jsonLines the body is JSON lines: a non-empty body must end with a newline, otherwise it
 *     was truncated (the real service terminates every line, including the last).
 */
public record CallOptions(boolean idempotent, boolean bufferBody, boolean jsonLines) {
  /** A call that may be repeated safely, its body read whole. */
  public static final CallOptions IDEMPOTENT = new CallOptions(true, true, false);
  /** A call that may be repeated safely, its JSON-lines body read whole. */
  public static final CallOptions IDEMPOTENT_JSON_LINES = new CallOptions(true, true, true);
  /** A call retried only when it certainly never reached the service, its body read whole. */
  public static final CallOptions NOT_IDEMPOTENT = new CallOptions(false, true, false);
  /**
   * A call retried only when it certainly never reached the service, its JSON-lines body read
   * whole.
   */
  public static final CallOptions NOT_IDEMPOTENT_JSON_LINES = new CallOptions(false, true, true);
  /** A GET whose body is read as it arrives (a streamed range read), resumed by its reader when cut. */
  public static final CallOptions STREAMED_JSON_LINES = new CallOptions(true, false, true);
}
