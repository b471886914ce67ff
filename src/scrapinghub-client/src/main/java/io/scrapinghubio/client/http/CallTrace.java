package io.scrapinghubio.client.http;

/**
 * What the retry loop did for one call, attached to the request as a tag so that the transport
 * can say it in the error it raises ("after 8 attempts over 31.9 s") and in the result it
 * returns. Written by the calling thread only (the retry loop runs on it).
 */
final class CallTrace {
  private final long startNanos = System.nanoTime();
  private int attempts;
  private boolean answerLost;

  void attemptStarted() {
    attempts++;
  }

  /** The attempt just made failed on a stale pooled connection: it is repeated, and does not count. */
  void reconnected() {
    attempts--;
  }

  /**
   * An attempt is being repeated although the service may have applied it: its answer was lost
   * (an I/O failure once connected, a body cut short, or a 500, 502 or 504 from a front-end).
   * A 408, 429 or 503 says the request was not handled, and a refused connection sent nothing.
   */
  void answerLost() {
    answerLost = true;
  }

  boolean wasAnswerLost() {
    return answerLost;
  }

  /** Attempts made so far (1 for a call that was never retried). */
  int attempts() {
    return attempts;
  }

  /** E.g. {@code " after 8 attempts over 31.9 s"}, or empty for a single attempt. */
  String afterAttempts() {
    if (attempts <= 1) {
      return "";
    }
    return String.format(java.util.Locale.ROOT, " after %d attempts over %.1f s", attempts, (System.nanoTime() - startNanos) / 1e9);
  }
}
