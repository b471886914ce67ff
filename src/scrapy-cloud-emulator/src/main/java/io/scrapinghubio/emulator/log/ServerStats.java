package io.scrapinghubio.emulator.log;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of what the emulator served (body bytes as sent on the wire, after gzip). */
public final class ServerStats {
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();

  /**
   * Requests answered since the last reset.
   *
   * @return the count
   */
  public long requestsServed() {
    return requests.get();
  }

  /**
   * Body bytes sent since the last reset, after gzip.
   *
   * @return the bytes
   */
  public long bytesServed() {
    return bytes.get();
  }

  /** Counts one answered request. */
  public void countRequest() {
    requests.incrementAndGet();
  }

  /**
   * Counts body bytes sent.
   *
   * @param n the bytes
   */
  public void countBytes(long n) {
    bytes.addAndGet(n);
  }

  /** Sets both counters back to zero. */
  public void reset() {
    requests.set(0);
    bytes.set(0);
  }

  @Override
  public String toString() {
    return "requests=" + requests.get() + " bytes=" + bytes.get();
  }
}
