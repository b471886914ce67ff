package io.scrapinghubio.beam.metrics;

import io.scrapinghubio.client.metrics.ClientStats;
import io.scrapinghubio.client.metrics.RequestListener;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Distribution;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Carries a client's traffic into Beam metrics: bytes, requests, retries (in all and per status),
 * reconnects, time spent throttled, and a request-latency distribution. Records are counted by the transforms
 * themselves, where they are emitted or acknowledged (a reader may fetch a record twice when a
 * runner moves a split elsewhere; it is still emitted once).
 *
 * <p>Requests run on the client's read-ahead threads, where Beam has no metrics container, so the
 * listener only collects; {@link #publish(ClientStats)} moves the deltas into Beam counters and
 * must be called from the DoFn's own thread (in {@code @ProcessElement} or {@code @FinishBundle}).
 */
public final class ClientMetrics implements RequestListener {
  /**
   * The namespace of every metric the transforms report, to query them from a
   * {@code PipelineResult}.
   */
  public static final String NAMESPACE = "ScrapinghubIO";

  private final String prefix;
  private final Counter bytes;
  private final Counter requests;
  private final Counter retries;
  /** Requests repeated on a new connection because the pooled one had been closed by the server (not retries). */
  private final Counter reconnects;
  private final Counter throttledMillis;
  private final Distribution latency;
  private final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
  private final Map<Integer, Long> publishedRetries = new ConcurrentHashMap<>();
  private long publishedBytes;
  private long publishedRequests;
  private long publishedRetriesTotal;
  private long publishedReconnects;
  private long publishedThrottled;

  /** @param prefix distinguishes transforms in metric names, e.g. {@code read} or {@code write} */
  public ClientMetrics(String prefix) {
    this.prefix = prefix;
    this.bytes = Metrics.counter(NAMESPACE, prefix + "_bytes");
    this.requests = Metrics.counter(NAMESPACE, prefix + "_requests");
    this.retries = Metrics.counter(NAMESPACE, prefix + "_retries");
    this.reconnects = Metrics.counter(NAMESPACE, prefix + "_reconnects");
    this.throttledMillis = Metrics.counter(NAMESPACE, prefix + "_throttled_ms");
    this.latency = Metrics.distribution(NAMESPACE, prefix + "_request_latency_ms");
  }

  @Override
  public void onResponse(String method, String resource, int status, long latencyNanos) {
    latencies.add(latencyNanos / 1_000_000);
  }

  /**
   * Publishes what {@code stats} (the same client's, every time) counted since the last call. Call
   * on the DoFn thread.
   *
   * @param stats the client's running totals
   */
  public void publish(ClientStats stats) {
    long b = stats.bytes();
    bytes.inc(b - publishedBytes);
    publishedBytes = b;
    long q = stats.requests();
    requests.inc(q - publishedRequests);
    publishedRequests = q;
    long t = stats.retries();
    retries.inc(t - publishedRetriesTotal);
    publishedRetriesTotal = t;
    long rc = stats.reconnects();
    reconnects.inc(rc - publishedReconnects);
    publishedReconnects = rc;
    long th = stats.throttledMillis();
    throttledMillis.inc(th - publishedThrottled);
    publishedThrottled = th;
    stats.retriesByStatus().forEach((status, n) -> {
      long before = publishedRetries.getOrDefault(status, 0L);
      if (n > before) {
        Metrics.counter(NAMESPACE, prefix + "_retries_" + (status < 0 ? "io" : status)).inc(n - before);
        publishedRetries.put(status, n);
      }
    });
    Long l;
    while ((l = latencies.poll()) != null) {
      latency.update(l);
    }
  }
}
