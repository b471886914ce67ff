package io.scrapinghubio.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.emulator.demo.DemoData;
import io.scrapinghubio.emulator.fault.FaultKind;
import io.scrapinghubio.emulator.fault.FaultRule;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EmulatorFaultTest {
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU =
      ScrapyCloudEmulatorExtension.withApiKey("KEY").demoData(DemoData.of(1, 2000));

  private static TestHttp http(ScrapyCloudEmulator emu) {
    return new TestHttp(emu, "KEY");
  }

  private static String itemsPath(ScrapyCloudEmulator emu) {
    return "items/" + emu.demoJobs().get(0) + "?meta=_key";
  }

  @Test
  void failNextNThenRecover(ScrapyCloudEmulator emu) {
    emu.faults().failNext(2, 503, "GET", "^/items/");
    TestHttp h = http(emu);
    TestHttp.Reply r = h.get(itemsPath(emu));
    assertEquals(503, r.code());
    assertEquals("text/html", r.contentType());
    assertTrue(r.text().contains("503 Service Unavailable"));
    assertEquals("1", r.header("Retry-After"));
    assertEquals(503, h.get(itemsPath(emu)).code());
    assertEquals(200, h.get("jobq/" + DemoData.DEFAULT_PROJECT + "/count").code()); // path does not match
    assertEquals(200, h.get(itemsPath(emu)).code());
    assertEquals(2, emu.faults().injectedCount(FaultKind.STATUS));
  }

  @Test
  void tooManyRequestsCarriesRetryAfter(ScrapyCloudEmulator emu) {
    emu.faults().rule().path("^/jobq/").status(429).retryAfter(7).times(1);
    TestHttp.Reply r = http(emu).get("jobq/" + DemoData.DEFAULT_PROJECT + "/list");
    assertEquals(429, r.code());
    assertEquals("7", r.header("Retry-After"));
  }

  @Test
  void rateIsDeterministicWithSeed(ScrapyCloudEmulator emu) {
    List<Integer> first = pattern(emu);
    emu.resetFaults();
    assertEquals(first, pattern(emu));
    long failures = first.stream().filter(c -> c == 500).count();
    assertTrue(failures > 5 && failures < 35, "about 40% of 50 fail: " + failures);
  }

  private static List<Integer> pattern(ScrapyCloudEmulator emu) {
    emu.faults().seed(7).failRate(0.4, 500);
    List<Integer> codes = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      codes.add(http(emu).get("system/ts").code());
    }
    return codes;
  }

  @Test
  void latencyIsAdded(ScrapyCloudEmulator emu) {
    emu.faults().latency(150);
    long t0 = System.nanoTime();
    http(emu).get("system/ts");
    assertTrue((System.nanoTime() - t0) / 1_000_000 >= 150);
    assertEquals(1, emu.faults().injectedCount(FaultKind.LATENCY));
  }

  @Test
  void truncatedFixedLengthBodyFailsTheClient(ScrapyCloudEmulator emu) throws IOException {
    FaultRule rule = emu.faults().truncateNext(1, 10_000);
    Request req = new TestHttp(emu, "KEY").req(itemsPath(emu)).header("Accept-Encoding", "identity").build();
    long[] got = {0};
    try (Response r = TestHttp.CLIENT.newCall(req).execute()) {
      assertEquals(200, r.code());
      assertTrue(Long.parseLong(r.header("Content-Length")) > 10_000);
      assertThrows(IOException.class, () -> {
        try (InputStream in = r.body().byteStream()) {
          byte[] buf = new byte[8192];
          int n;
          while ((n = in.read(buf)) > 0) {
            got[0] += n;
          }
        }
      });
    }
    assertEquals(10_000, got[0]);
    assertEquals(1, rule.fired());
    assertEquals(1, emu.faults().injectedCount(FaultKind.TRUNCATE));
    // the rule is used up: the next read is complete
    assertEquals(2000, http(emu).get(itemsPath(emu)).jsonLines().size());
  }

  @Test
  void truncatedChunkedGzipBodyFailsTheClient(ScrapyCloudEmulator emu) {
    emu.faults().truncateNext(1, 5_000);
    // OkHttp asks for gzip itself: the response is chunked and gzipped, then cut.
    Request req = new TestHttp(emu, "KEY").req(itemsPath(emu)).build();
    assertThrows(IOException.class, () -> {
      try (Response r = TestHttp.CLIENT.newCall(req).execute()) {
        assertEquals(200, r.code());
        r.body().bytes();
      }
    });
    assertEquals(1, emu.faults().injectedCount(FaultKind.TRUNCATE));
  }

  @Test
  void shortResponsesAreNotTruncatedAndKeepTheShot(ScrapyCloudEmulator emu) {
    FaultRule rule = emu.faults().truncateNext(1, 1_000_000);
    assertEquals(200, http(emu).get("system/ts").code());
    assertEquals(0, rule.fired());
  }

  @Test
  void connectionResetBeforeResponse(ScrapyCloudEmulator emu) {
    emu.faults().resetNext(1);
    Request req = new TestHttp(emu, "KEY").req("system/ts").build();
    assertThrows(IOException.class, () -> TestHttp.CLIENT.newCall(req).execute().close());
    assertEquals(1, emu.faults().injectedCount(FaultKind.RESET));
    assertEquals(200, http(emu).get("system/ts").code());
    assertEquals(0, emu.requestLog().matching("GET", "^/system/ts").get(0).status());
  }

  @Test
  void faultsAreResetBetweenTests(ScrapyCloudEmulator emu) {
    assertTrue(emu.faults().rules().isEmpty());
    assertEquals(0, emu.faults().injectedCount());
  }
}
