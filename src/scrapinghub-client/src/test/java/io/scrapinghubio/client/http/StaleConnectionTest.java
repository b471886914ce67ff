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
import io.scrapinghubio.client.write.Batch;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * A connection the server has already closed must never cost a retry attempt: neither one closed
 * while idle in the pool (servers and load balancers close idle connections whenever they like)
 * nor one the server closes after answering an upload early, before reading its body.
 */
class StaleConnectionTest {
  private static final String KEY = "0123456789abcdef0123456789abcdef";

  @Test
  void aPooledConnectionTheServerClosedWhileIdleCostsNoRetryAndNoWait() throws Exception {
    try (IdleClosingServer server = new IdleClosingServer("{\"totals\":{\"input_values\":5,\"input_bytes\":50}}", 300);
        // The default policy: a retry would wait 0.5 to 1.5 s.
        ScrapinghubClient client = ScrapinghubClient.create(ClientConfig.builder().apiKey(KEY)
            .storageEndpoint(server.url()).dashEndpoint(server.url() + "api/").build());
        LogCapture log = LogCapture.of(RetryInterceptor.class)) {
      assertEquals(5, client.getJob(JobKey.parse("1/2/3")).items().count());
      Thread.sleep(800); // past the server's idle timeout: it has closed the pooled connection
      long t0 = System.nanoTime();
      assertEquals(5, client.getJob(JobKey.parse("1/2/3")).items().count());
      long millis = (System.nanoTime() - t0) / 1_000_000;

      assertEquals(0, client.stats().retries(), "retries " + client.stats().retriesByStatus());
      assertEquals(List.of(), log.messages(Level.INFO));
      assertTrue(millis < 400, "second request took " + millis + " ms");
      assertEquals(1, client.stats().reconnects());
      assertEquals(2, server.requests());
      assertEquals(2, server.connections());
    }
  }

  @Test
  void aCallThatIsNotIdempotentIsNotRepeatedOnANewConnection() throws Exception {
    try (IdleClosingServer server = new IdleClosingServer("{\"totals\":{\"input_values\":5}}", 300);
        ScrapinghubClient client = ScrapinghubClient.create(ClientConfig.builder().apiKey(KEY)
            .storageEndpoint(server.url()).dashEndpoint(server.url() + "api/").build())) {
      assertEquals(5, client.getJob(JobKey.parse("1/2/3")).items().count());
      Thread.sleep(800);
      // Whether a server read a run.json before it closed the connection cannot be known: no repeat.
      assertThrows(TransportException.class, () -> client.getProject(1).jobs().run("spider"));
      assertEquals(0, client.stats().reconnects());
      assertEquals(1, server.requests());
    }
  }

  @Test
  void onlyAnEndOfStreamOrAResetMeansTheServerClosedTheConnection() {
    assertTrue(StaleConnections.closedByPeer(new IOException("unexpected end of stream on http://h/", new EOFException())));
    assertTrue(StaleConnections.closedByPeer(new SocketException("Connection reset")));
    assertTrue(StaleConnections.closedByPeer(new SocketException("Broken pipe")));
    assertFalse(StaleConnections.closedByPeer(new SocketTimeoutException("timeout")), "a slow server is not a closed connection");
    assertFalse(StaleConnections.closedByPeer(new IOException("something else")));
  }

  @Test
  void anErrorAnsweredBeforeABigUploadWasReadCostsOneRetryNotTwo() {
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).start();
        ScrapinghubClient client = ScrapinghubClient.create(ClientConfig.builder().apiKey(KEY)
            .storageEndpoint(emu.storageUrl()).dashEndpoint(emu.dashUrl())
            .retryPolicy(RetryPolicy.of(12, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofSeconds(30))).build())) {
      // ~120 KB sent as is (collections are not gzipped): more than the JDK server drains by itself.
      Random random = new Random(1);
      List<byte[]> lines = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        byte[] noise = new byte[500];
        random.nextBytes(noise);
        lines.add(("{\"_key\":\"k" + i + "\",\"v\":\"" + java.util.HexFormat.of().formatHex(noise) + "\"}")
            .getBytes(StandardCharsets.UTF_8));
      }
      emu.state().project(1); // configures it: requests do not create projects on a strict emulator
      emu.faults().failNext(8, 429, "POST", "^/collections/");

      client.getProject(1).collections().getStore("big").uploader().upload(Batch.of(0, lines));

      assertEquals(Map.of(429, 8L), client.stats().retriesByStatus());
      assertEquals(9, emu.requestLog().matching("POST", "^/collections/").size());
      assertEquals(120, client.getProject(1).collections().getStore("big").count());
    }
  }
}
