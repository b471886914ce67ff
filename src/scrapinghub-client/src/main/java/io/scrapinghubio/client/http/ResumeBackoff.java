package io.scrapinghubio.client.http;

import io.scrapinghubio.client.core.RetryPolicy;
import io.scrapinghubio.client.metrics.RequestListener;
import java.io.IOException;
import java.util.List;

/**
 * The waits between resumes of one streamed read whose body was cut mid-way (a dropped
 * connection, a truncated answer): the same schedule, limits, listeners and log line as the
 * transport's own retries, so a cut stream costs what a failed page did. A resume that delivered
 * records starts the schedule afresh: a long stream cut now and then is not failed for the sum
 * of its cuts, only for as many cuts in a row without progress as the policy allows.
 */
public final class ResumeBackoff {
  private static final System.Logger LOG = System.getLogger(RetryInterceptor.class.getName());

  private final RetryPolicy policy;
  private final List<RequestListener> listeners;
  private final String resource;
  private final String what;
  private ExponentialBackoff backoff;
  private long deadline;

  ResumeBackoff(RetryPolicy policy, List<RequestListener> listeners, String resource, String what) {
    this.policy = policy;
    this.listeners = listeners;
    this.resource = resource;
    this.what = what;
    progressed();
  }

  /** The stream delivered records since the last cut: the next cut starts a new schedule. */
  public void progressed() {
    backoff = new ExponentialBackoff(policy);
    deadline = System.nanoTime() + policy.maxTotalTime().toNanos();
  }

  /**
   * Waits before resuming after {@code cause}; false when the policy's attempts or time are
   * spent (the caller then fails, naming the cause).
   *
   * @param cause the failure
   * @param resumeAt the index the read resumes at
   * @return true to resume
   * @throws InterruptedException if the thread was interrupted while waiting
   */
  public boolean awaitResume(IOException cause, long resumeAt) throws InterruptedException {
    long wait = backoff.nextBackOffMillis(true);
    if (wait == ExponentialBackoff.STOP || System.nanoTime() + wait * 1_000_000L > deadline) {
      return false;
    }
    for (RequestListener l : listeners) {
      l.onRetry("GET", resource, -1, wait);
    }
    int attempt = backoff.retries() + 1;
    LOG.log(System.Logger.Level.INFO, () -> "Resuming GET " + what + " at record " + resumeAt + " after "
        + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")")
        + ": attempt " + attempt + " of " + policy.maxAttempts() + " in " + wait + " ms");
    Thread.sleep(wait);
    return true;
  }
}
