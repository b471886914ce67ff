package io.scrapinghubio.client.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Running totals of a client's traffic, in the spirit of Scrapy's stats collector: requests,
 * statuses, retries by cause, bytes, latency, time spent throttled, and records delivered by the
 * readers. {@link #logLine(long, long, double)} renders a LogStats-style progress line.
 */
public final class ClientStats implements RequestListener {
  private final LongAdder requests = new LongAdder();
  private final LongAdder latencyNanos = new LongAdder();
  private final AtomicLong maxLatencyNanos = new AtomicLong();
  private final LongAdder bytes = new LongAdder();
  private final LongAdder records = new LongAdder();
  private final LongAdder recordBytes = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final LongAdder reconnects = new LongAdder();
  private final LongAdder throttledMillis = new LongAdder();
  private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
  private final Map<Integer, LongAdder> retriesByStatus = new ConcurrentHashMap<>();

  @Override
  public void onResponse(String method, String resource, int status, long latency) {
    requests.increment();
    latencyNanos.add(latency);
    maxLatencyNanos.accumulateAndGet(latency, Math::max);
    statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
  }

  @Override
  public void onBodyRead(String resource, long n) {
    bytes.add(n);
  }

  @Override
  public void onRetry(String method, String resource, int status, long sleepMillis) {
    retries.increment();
    retriesByStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
    if (status == 429 || status == 503) {
      throttledMillis.add(sleepMillis);
    }
  }

  @Override
  public void onReconnect(String method, String resource) {
    reconnects.increment();
  }

  /**
   * Called by writers for records accepted by the service (their size is counted on the wire).
   *
   * @param n records acknowledged
   */
  public void recordsDelivered(long n) {
    records.add(n);
  }

  /**
   * Called by readers for every record handed to the caller, with its JSON size: progress is
   * counted when records are delivered, not when their page arrives (pages are fetched ahead).
   *
   * @param jsonBytes the record's JSON size
   */
  public void recordDelivered(long jsonBytes) {
    records.increment();
    recordBytes.add(jsonBytes);
  }

  /**
   * HTTP requests answered (any status).
   *
   * @return the count
   */
  public long requests() {
    return requests.sum();
  }

  /**
   * Response body bytes received.
   *
   * @return the bytes
   */
  public long bytes() {
    return bytes.sum();
  }

  /**
   * Records delivered to readers or acknowledged to writers.
   *
   * @return the count
   */
  public long records() {
    return records.sum();
  }

  /**
   * JSON bytes of the records delivered by readers (0 for writers).
   *
   * @return the bytes
   */
  public long recordBytes() {
    return recordBytes.sum();
  }

  /**
   * Retries made.
   *
   * @return the count
   */
  public long retries() {
    return retries.sum();
  }

  /**
   * Requests repeated on a new connection because the pooled one had been closed by the server (not
   * retries).
   *
   * @return the count
   */
  public long reconnects() {
    return reconnects.sum();
  }

  /**
   * Time spent waiting before retries.
   *
   * @return milliseconds
   */
  public long throttledMillis() {
    return throttledMillis.sum();
  }

  /**
   * Mean time from send to response headers.
   *
   * @return milliseconds, 0 before any request
   */
  public double averageLatencyMillis() {
    long n = requests.sum();
    return n == 0 ? 0 : latencyNanos.sum() / 1e6 / n;
  }

  /**
   * Longest time from send to response headers.
   *
   * @return milliseconds
   */
  public double maxLatencyMillis() {
    return maxLatencyNanos.get() / 1e6;
  }

  /**
   * Responses per HTTP status, e.g. {200=512, 429=3}.
   *
   * @return the counts by status
   */
  public Map<Integer, Long> statuses() {
    Map<Integer, Long> m = new TreeMap<>();
    statuses.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  /**
   * Retries per cause: HTTP status, or -1 for I/O failures (reset, timeout, truncated body).
   *
   * @return the counts by cause
   */
  public Map<Integer, Long> retriesByStatus() {
    Map<Integer, Long> m = new TreeMap<>();
    retriesByStatus.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  /**
   * A progress line like Scrapy's LogStats, for the interval since the previous snapshot: e.g.
   * {@code 120000 records (at 41000/s), 168.0 MB (at 57.4 MB/s), 131 requests, avg latency 12.3 ms, 2 retries {429=2}}.
   *
   * @param previousRecords {@link #records()} at the previous snapshot
   * @param previousBytes {@link #recordBytes()} at the previous snapshot
   * @param intervalSeconds seconds since the previous snapshot
   * @return the line
   */
  public String logLine(long previousRecords, long previousBytes, double intervalSeconds) {
    long r = records();
    long b = bytes();
    double rate = intervalSeconds <= 0 ? 0 : (r - previousRecords) / intervalSeconds;
    double mbRate = intervalSeconds <= 0 ? 0 : (b - previousBytes) / 1e6 / intervalSeconds;
    return String.format(
        "%d records (at %.0f/s), %.1f MB (at %.1f MB/s), %d requests, avg latency %.1f ms, %d retries %s",
        r, rate, b / 1e6, mbRate, requests(), averageLatencyMillis(), retries(), retriesByStatus());
  }
}
