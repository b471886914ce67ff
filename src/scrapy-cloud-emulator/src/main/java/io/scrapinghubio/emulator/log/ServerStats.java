package io.scrapinghubio.emulator.log;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of what the emulator served (body bytes as sent on the wire, after gzip). */
public final class ServerStats {
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();

  public long requestsServed() {
    return requests.get();
  }

  public long bytesServed() {
    return bytes.get();
  }

  public void countRequest() {
    requests.incrementAndGet();
  }

  public void countBytes(long n) {
    bytes.addAndGet(n);
  }

  public void reset() {
    requests.set(0);
    bytes.set(0);
  }

  @Override
  public String toString() {
    return "requests=" + requests.get() + " bytes=" + bytes.get();
  }
}
