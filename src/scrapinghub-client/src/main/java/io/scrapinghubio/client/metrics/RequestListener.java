package io.scrapinghubio.client.metrics;

/**
 * Observes every HTTP exchange the client makes, the way Scrapy's signals let extensions watch a
 * crawl. {@link ClientStats} is the built-in one; the Beam transforms add one that feeds Beam
 * metrics. Implementations must be thread-safe and fast: they run on the calling thread.
 */
public interface RequestListener {

  /**
   * A response arrived (any status), {@code latencyNanos} from send to headers.
   *
   * @param method the HTTP method
   * @param resource what was asked for, without the key, e.g. {@code items}
   * @param status the HTTP status
   * @param latencyNanos nanoseconds from send to headers
   */
  default void onResponse(String method, String resource, int status, long latencyNanos) {}

  /**
   * A response body was read: {@code bytes} as received (after decompression).
   *
   * @param resource what was asked for
   * @param bytes bytes received
   */
  default void onBodyRead(String resource, long bytes) {}

  /**
   * A retry is about to happen after {@code sleepMillis}. {@code status} is the HTTP status that
   * caused it, or -1 for an I/O failure (reset, timeout, truncated body).
   *
   * @param method the HTTP method
   * @param resource what was asked for
   * @param status the HTTP status, or -1
   * @param sleepMillis the wait before the retry
   */
  default void onRetry(String method, String resource, int status, long sleepMillis) {}

  /**
   * A request is repeated at once on a new connection because the pooled one it was sent on had
   * already been closed by the server (an idle timeout). Not a retry: no attempt of the retry
   * policy is spent and nothing is waited for.
   *
   * @param method the HTTP method
   * @param resource what was asked for
   */
  default void onReconnect(String method, String resource) {}
}
