package io.scrapinghubio.emulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.emulator.demo.DemoData;
import io.scrapinghubio.emulator.http.Network;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A distant service: bandwidth per response stream and latency jitter. Timings are checked by
 * their lower bounds, which the pacer and the latency guarantee; upper bounds only where the
 * slack is seconds wide.
 */
class EmulatorNetworkTest {
  /** About 1.4 KB per demo item: ~2.1 MB of items in one job. */
  private static final DemoData TWO_MB = DemoData.of(1, 1500);

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** A timed GET; the body as received (no Accept-Encoding unless given). */
  private record Timed(byte[] body, long nanos, String contentEncoding) {
    double seconds() {
      return nanos / 1e9;
    }
  }

  private static Timed get(ScrapyCloudEmulator emu, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(emu.storageUrl() + path));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    long t0 = System.nanoTime();
    HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    long nanos = System.nanoTime() - t0;
    assertEquals(200, r.statusCode(), path);
    return new Timed(r.body(), nanos, r.headers().firstValue("Content-Encoding").orElse(null));
  }

  private static String items(ScrapyCloudEmulator emu) {
    return "items/" + emu.demoJobs().get(0);
  }

  @Test
  void oneMegabytePerSecondPacesTheBodyAndLosesNothing() throws Exception {
    byte[] unlimited;
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().demoData(TWO_MB).start()) {
      unlimited = get(emu, items(emu)).body();
    }
    assertTrue(unlimited.length > 1_800_000, "about 2 MB of items: " + unlimited.length);
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().demoData(TWO_MB).bandwidthMbps(1.0).start()) {
      Timed limited = get(emu, items(emu));
      assertArrayEquals(unlimited, limited.body(), "the same bytes, only slower");
      double least = limited.body().length / 1e6; // seconds at 1 MB/s
      assertTrue(limited.seconds() >= least * 0.95, "took " + limited.seconds() + " s for " + limited.body().length
          + " bytes at 1 MB/s: at least " + least + " s");
    }
  }

  /** The link carries gzipped bytes: a compressible body takes its compressed size's time, not its own. */
  @Test
  void gzippedBytesArePacedNotTheUncompressedOnes() throws Exception {
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().demoData(TWO_MB).bandwidthMbps(0.5).start()) {
      Timed gz = get(emu, items(emu), "Accept-Encoding", "gzip");
      assertEquals("gzip", gz.contentEncoding());
      byte[] plain = TestHttp.gunzip(gz.body());
      assertTrue(plain.length > 3 * gz.body().length, "compressible: " + plain.length + " -> " + gz.body().length);
      assertTrue(gz.seconds() >= gz.body().length / 0.5e6 * 0.95, "the compressed bytes are paced: " + gz.seconds() + " s");
      // Uncompressed, 0.5 MB/s would need ~4 s; the compressed body needs well under 1 s.
      double uncompressed = plain.length / 0.5e6;
      assertTrue(gz.seconds() < uncompressed * 0.75, gz.seconds() + " s, uncompressed would take " + uncompressed + " s");
    }
  }

  /** Each connection has the whole rate, so parallel streams add up, as over a long path. */
  @Test
  void concurrentStreamsEachGetTheFullRate() throws Exception {
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().demoData(DemoData.of(1, 700)).bandwidthMbps(0.5).start()) {
      String path = items(emu);
      long t0 = System.nanoTime();
      List<CompletableFuture<HttpResponse<byte[]>>> all = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        all.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(emu.storageUrl() + path)).build(),
            HttpResponse.BodyHandlers.ofByteArray()));
      }
      int size = -1;
      for (CompletableFuture<HttpResponse<byte[]>> f : all) {
        HttpResponse<byte[]> r = f.get(60, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode());
        assertTrue(size < 0 || size == r.body().length, "complete bodies");
        size = r.body().length;
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      double single = size / 0.5e6; // ~2 s each; one after the other they would need >= 3x that
      assertTrue(seconds >= single * 0.95, "each stream is paced: " + seconds + " s");
      assertTrue(seconds < 2 * single, "3 streams in parallel took " + seconds + " s; one alone needs " + single + " s");
    }
  }

  /** A body written in one piece (the small JSON answers) is paced too. */
  @Test
  void smallSingleShotBodiesArePacedToo() throws Exception {
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().demoData(DemoData.of(20, 1)).bandwidthMbps(0.01).start()) {
      Timed list = get(emu, "jobq/" + DemoData.DEFAULT_PROJECT + "/list");
      assertTrue(list.body().length > 2000, "a few KB of job summaries: " + list.body().length);
      double least = list.body().length / 0.01e6;
      assertTrue(list.seconds() >= least * 0.95, list.seconds() + " s for " + list.body().length + " bytes at 10 KB/s");
    }
  }

  /** Stopping the emulator does not wait for a paced body: the pacing sleep is interrupted. */
  @Test
  void closeCutsAPacedResponseShort() throws Exception {
    ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().demoData(TWO_MB).bandwidthMbps(0.01).start(); // ~200 s
    CompletableFuture<HttpResponse<byte[]>> read = HTTP.sendAsync(
        HttpRequest.newBuilder(URI.create(emu.storageUrl() + items(emu))).build(), HttpResponse.BodyHandlers.ofByteArray());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (emu.stats().bytesServed() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertTrue(emu.stats().bytesServed() > 0, "the body has started");
    long t0 = System.nanoTime();
    emu.close();
    try {
      HttpResponse<byte[]> r = read.get(60, TimeUnit.SECONDS);
      assertTrue(r.body().length < 2_000_000, "not the whole body: " + r.body().length);
    } catch (java.util.concurrent.ExecutionException expected) {
      // the connection was dropped mid-body
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertTrue(seconds < 30, "the paced response ended with the emulator, " + seconds + " s after close");
  }

  @Test
  void jitterDrawsAreUniformBoundedAndRepeatable() {
    Network a = new Network(0, 200, 0, 7);
    Network b = new Network(0, 200, 0, 7);
    Network other = new Network(0, 200, 0, 8);
    List<Long> drawsA = new ArrayList<>();
    List<Long> drawsOther = new ArrayList<>();
    long sum = 0;
    for (int i = 0; i < 2000; i++) {
      long d = a.nextLatencyMs();
      assertTrue(d >= 0 && d <= 200, "in [0, 200]: " + d);
      assertEquals(d, b.nextLatencyMs(), "same seed, same sequence");
      drawsA.add(d);
      drawsOther.add(other.nextLatencyMs());
      sum += d;
    }
    assertNotEquals(drawsA, drawsOther, "another seed, other draws");
    assertEquals(0, drawsA.stream().mapToLong(Long::longValue).min().orElseThrow(), "the bounds are reached");
    assertEquals(200, drawsA.stream().mapToLong(Long::longValue).max().orElseThrow());
    assertEquals(100, sum / 2000.0, 10, "uniform: mean near 100");

    Network fixed = new Network(30, 0, 0, 7);
    Network jittered = new Network(30, 5, 0, 7);
    for (int i = 0; i < 100; i++) {
      assertEquals(30, fixed.nextLatencyMs(), "no jitter: the latency exactly");
      long d = jittered.nextLatencyMs();
      assertTrue(d >= 30 && d <= 35, "latency + [0, jitter]: " + d);
    }
  }

  /** Each request waits at least its draw, and the draws come from the fault seed, so runs repeat. */
  @Test
  void eachRequestWaitsItsSeededDraw() throws Exception {
    Network expected = new Network(0, 200, 0, 7);
    List<Long> draws = new ArrayList<>();
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().latencyJitterMs(200).faultSeed(7).start()) {
      for (int i = 0; i < 8; i++) {
        long draw = expected.nextLatencyMs();
        draws.add(draw);
        Timed t = get(emu, "system/ts");
        assertTrue(t.nanos() >= TimeUnit.MILLISECONDS.toNanos(draw),
            "request " + i + " took " + t.nanos() / 1_000_000 + " ms, drew " + draw + " ms");
      }
    }
    long spread = draws.stream().mapToLong(Long::longValue).max().orElseThrow() - draws.stream().mapToLong(Long::longValue).min().orElseThrow();
    assertTrue(spread > 50, "the requests' latencies vary: " + draws);
  }

  @Test
  void builderRefusesBadValuesNamingThem() {
    ScrapyCloudEmulator.Builder b = ScrapyCloudEmulator.builder();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.bandwidthMbps(-1));
    assertTrue(e.getMessage().contains("bandwidthMbps") && e.getMessage().contains("-1.0") && e.getMessage().contains(">= 0"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> b.bandwidthMbps(Double.NaN));
    assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.bandwidthMbps(Double.POSITIVE_INFINITY));
    e = assertThrows(IllegalArgumentException.class, () -> b.latencyJitterMs(-5));
    assertTrue(e.getMessage().contains("latencyJitterMs") && e.getMessage().contains("-5") && e.getMessage().contains(">= 0"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> b.latencyMs(-1));
    assertTrue(e.getMessage().contains("latencyMs") && e.getMessage().contains("-1"), e.getMessage());
    b.bandwidthMbps(0).bandwidthMbps(0.5).latencyJitterMs(0).latencyMs(0); // the defaults and a fraction are fine
  }
}
