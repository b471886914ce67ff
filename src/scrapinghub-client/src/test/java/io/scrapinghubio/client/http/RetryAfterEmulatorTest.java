package io.scrapinghubio.client.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.core.JobKey;
import io.scrapinghubio.client.core.RetryPolicy;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.demo.DemoData;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A throttling answer's {@code Retry-After} is the wait the service asks for, not a floor under the
 * backoff schedule: {@code Retry-After: 0} is retried after the blip backoff, a larger one is waited
 * out (within the maximum backoff). Asserted on the waits the client decided, not on a clock.
 */
class RetryAfterEmulatorTest {
  private static final String KEY = "0123456789abcdef0123456789abcdef";
  private static final JobKey JOB = JobKey.parse(DemoData.DEFAULT_PROJECT + "/1/1");

  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(KEY).demoData(DemoData.of(1, 50));

  /** A schedule whose every step is long, so that a retry after Retry-After: 0 shows if it waited it. */
  private static final RetryPolicy SLOW_SCHEDULE = RetryPolicy.of(6, Duration.ofSeconds(2), Duration.ofSeconds(4),
      Duration.ofSeconds(60)).withBlipBackoff(Duration.ofMillis(5));

  private ScrapyCloudEmulator emu;
  private ScrapinghubClient client;

  @BeforeEach
  void setUp() {
    emu = EMU.emulator();
    emu.resetFaults();
    client = ScrapinghubClient.create(ClientConfig.builder().apiKey(KEY).storageEndpoint(emu.storageUrl())
        .dashEndpoint(emu.dashUrl()).retryPolicy(SLOW_SCHEDULE).build());
  }

  @AfterEach
  void tearDown() {
    emu.resetFaults();
    client.close();
  }

  @Test
  void retryAfterZeroIsRetriedAfterTheBlipBackoff() {
    emu.faults().rule().method("GET").path("^/items/").status(429).retryAfter(0).times(2);
    emu.faults().rule().method("GET").path("^/items/").status(503).retryAfter(0).times(1);
    assertEquals(50, client.getJob(JOB).items().list().size());
    assertEquals(3, client.stats().retries());
    assertTrue(client.stats().throttledMillis() <= 3 * 5, "waited the blip backoff each time, not the 2 s schedule: "
        + client.stats().throttledMillis() + " ms in all");
  }

  @Test
  void retryAfterOneSecondIsWaitedOut() {
    emu.faults().rule().method("GET").path("^/items/").status(429).retryAfter(1).times(1);
    assertEquals(50, client.getJob(JOB).items().list().size());
    assertEquals(1000, client.stats().throttledMillis(), "the service's 1 s, not the schedule's 2 s");
  }

  @Test
  void aClosedClientSaysSo() {
    client.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> client.getJob(JOB).items().list());
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> client.getProject(DemoData.DEFAULT_PROJECT).jobs().count());
  }
}
