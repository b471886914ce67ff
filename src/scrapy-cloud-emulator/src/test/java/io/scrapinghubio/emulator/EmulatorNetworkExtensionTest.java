package io.scrapinghubio.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JUnit extension models a distant service as the builder does; bad values fail at once. */
class EmulatorNetworkExtensionTest {
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey("KEY")
      .latencyMs(150).latencyJitterMs(50).bandwidthMbps(0.001);

  @Test
  void latencyAndBandwidthApply(ScrapyCloudEmulator emu) {
    TestHttp h = new TestHttp(emu, "KEY");
    h.get("system/ts"); // warm-up: connection and JIT
    long t0 = System.nanoTime();
    TestHttp.Reply r = h.get("system/ts");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(200, r.code());
    // 150 ms of latency, then the body at 1,000 bytes per second.
    long least = 150 + r.body().length;
    assertTrue(ms >= least, "took " + ms + " ms for " + r.body().length + " bytes; at least " + least + " ms");
  }

  @Test
  void badSettingsAreRefusedAtOnce() {
    assertThrows(IllegalArgumentException.class, () -> EMU.bandwidthMbps(-0.5));
    assertThrows(IllegalArgumentException.class, () -> EMU.bandwidthMbps(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> EMU.latencyJitterMs(-1));
    assertThrows(IllegalArgumentException.class, () -> EMU.latencyMs(-1));
  }
}
