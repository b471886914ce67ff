package io.scrapinghubio.emulator.http;

import java.util.Random;

/**
 * A distant service as the client sees it: time to first byte (a fixed latency plus a random
 * jitter) and the bandwidth of one response stream.
 *
 * <p>The jitter is uniform in {@code [0, jitterMs]} and drawn from a random source of its own,
 * seeded from the fault seed: the same seed gives the same delays in the same order, and adding
 * jitter leaves the fault draws unchanged.
 */
public final class Network {
  /** Loopback: no latency, no bandwidth limit. */
  public static final Network LOCAL = new Network(0, 0, 0, 0);

  private final long latencyMs;
  private final long jitterMs;
  private final double bytesPerSecond;
  private final Random random;

  /**
   * @param latencyMs added to every request (ms, >= 0)
   * @param jitterMs up to this much more, drawn per request (ms, >= 0)
   * @param megabytesPerSecond per response body, in MB/s of 1,000,000 bytes; 0 = unlimited
   * @param seed seed of the jitter draws
   */
  public Network(long latencyMs, long jitterMs, double megabytesPerSecond, long seed) {
    if (latencyMs < 0 || jitterMs < 0 || !(megabytesPerSecond >= 0) || Double.isInfinite(megabytesPerSecond)) {
      throw new IllegalArgumentException("latency " + latencyMs + " ms, jitter " + jitterMs + " ms and bandwidth "
          + megabytesPerSecond + " MB/s must be finite and >= 0");
    }
    this.latencyMs = latencyMs;
    this.jitterMs = jitterMs;
    this.bytesPerSecond = megabytesPerSecond * 1_000_000;
    // Not the fault plan's seed as is: the same seed would replay the fault draws' very sequence.
    this.random = new Random(seed ^ 0x6A09E667F3BCC909L);
  }

  /**
   * The latency of the next request: latency + a uniform draw in [0, jitter] ms.
   *
   * @return milliseconds
   */
  public long nextLatencyMs() {
    if (jitterMs == 0) {
      return latencyMs;
    }
    long draw = jitterMs == Long.MAX_VALUE ? random.nextLong() & Long.MAX_VALUE : random.nextLong(jitterMs + 1);
    return latencyMs + draw;
  }

  /**
   * Latency added to every request.
   *
   * @return milliseconds
   */
  public long latencyMs() {
    return latencyMs;
  }

  /**
   * The most random latency added on top.
   *
   * @return milliseconds
   */
  public long jitterMs() {
    return jitterMs;
  }

  /**
   * Bytes per second of one response body; 0 = unlimited.
   *
   * @return bytes per second
   */
  public double bytesPerSecond() {
    return bytesPerSecond;
  }
}
