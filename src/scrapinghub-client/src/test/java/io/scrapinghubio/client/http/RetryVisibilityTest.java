package io.scrapinghubio.client.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.core.JobKey;
import io.scrapinghubio.client.core.RetryPolicy;
import io.scrapinghubio.client.errors.TransportException;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.demo.DemoData;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * Retries a user can see: each one logged once at INFO with what, why, attempt n of m and the
 * wait (never the key); and no silent half minute of retries against an endpoint that has never
 * answered.
 */
class RetryVisibilityTest {
  private static final String KEY = "0123456789abcdef0123456789abcdef";
  private static final RetryPolicy FAST = RetryPolicy.of(6, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(20));

  private static ClientConfig.Builder config(String storage, String dash) {
    return ClientConfig.builder().apiKey(KEY).storageEndpoint(storage).dashEndpoint(dash);
  }

  @Test
  void eachRetryIsLoggedOnceAtInfoWithCauseAttemptAndWaitButNeverTheKey() {
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).demoData(DemoData.of(1, 10)).start();
        ScrapinghubClient client = ScrapinghubClient.create(config(emu.storageUrl(), emu.dashUrl()).retryPolicy(FAST).build());
        LogCapture log = LogCapture.of(RetryInterceptor.class)) {
      String job = emu.demoJobs().get(0);
      emu.faults().failNext(2, 503, "GET", "/stats$");
      assertEquals(10, client.getJob(JobKey.parse(job)).items().count());
      emu.faults().truncateNext(1, 5);
      assertEquals(10, client.getJob(JobKey.parse(job)).items().count());

      List<String> lines = log.messages(Level.INFO);
      assertEquals(3, lines.size(), String.valueOf(lines));
      String stats = "GET " + emu.storageUrl() + "items/" + job + "/stats";
      assertTrue(lines.get(0).startsWith("Retrying " + stats + " after HTTP 503: attempt 2 of 6 in "), lines.get(0));
      assertTrue(lines.get(1).contains(" after HTTP 503: attempt 3 of 6 in "), lines.get(1));
      assertTrue(lines.get(2).startsWith("Retrying " + stats + " after "), lines.get(2));
      assertTrue(lines.get(2).contains("Exception") && lines.get(2).contains(": attempt 2 of 6 in "), lines.get(2));
      for (String l : lines) {
        assertTrue(l.matches(".* in \\d+ ms$"), l);
        assertFalse(l.contains(KEY), l);
      }
      assertEquals(3, client.stats().retries());
    }
  }

  @Test
  void aRefusedConnectionToAHostThatNeverAnsweredFailsAtOnceNamingTheEndpoint() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // free again once closed: nothing listens there
    }
    String storage = "http://127.0.0.1:" + port + "/";
    // The default policy: 8 attempts over about 32 s before this change.
    try (ScrapinghubClient client = ScrapinghubClient.create(config(storage, "http://127.0.0.1:" + port + "/api/").build());
        LogCapture log = LogCapture.of(RetryInterceptor.class)) {
      long t0 = System.nanoTime();
      TransportException e = assertThrows(TransportException.class, () -> client.getJob(JobKey.parse("1/2/3")).items().count());
      long millis = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(millis < 3000, "failed after " + millis + " ms");
      String m = e.getMessage();
      assertTrue(m.contains("127.0.0.1:" + port) && m.contains("has not answered this client once"), m);
      assertTrue(m.contains("storage endpoint " + storage) && m.contains("SHUB_STORAGE"), m);
      assertTrue(m.contains("refused"), m);
      assertEquals(0, client.stats().retries());
      assertEquals(List.of(), log.messages(Level.INFO));

      // The app API gets the same treatment and names its own setting.
      TransportException d = assertThrows(TransportException.class, () -> client.projects().list());
      assertTrue(d.getMessage().contains("app API endpoint") && d.getMessage().contains("SHUB_APIURL"), d.getMessage());
    }
  }

  @Test
  void aHostThatAnsweredOnceIsStillRetriedWhenItRefusesConnections() {
    ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).demoData(DemoData.of(1, 10)).start();
    String job = emu.demoJobs().get(0);
    try (ScrapinghubClient client = ScrapinghubClient.create(config(emu.storageUrl(), emu.dashUrl()).retryPolicy(FAST).build());
        LogCapture log = LogCapture.of(RetryInterceptor.class)) {
      assertEquals(10, client.getJob(JobKey.parse(job)).items().count());
      emu.close(); // a restart, say: the host has answered before, so it is worth waiting for
      TransportException e = assertThrows(TransportException.class, () -> client.getJob(JobKey.parse(job)).items().count());
      assertTrue(e.getMessage().contains("after 6 attempts"), e.getMessage());
      assertEquals(FAST.maxAttempts() - 1, client.stats().retries());
      assertEquals(FAST.maxAttempts() - 1, log.messages(Level.INFO).size());
    }
  }
}
