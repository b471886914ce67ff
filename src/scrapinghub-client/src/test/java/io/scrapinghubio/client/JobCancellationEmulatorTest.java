package io.scrapinghubio.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.core.JobKey;
import io.scrapinghubio.client.core.RetryPolicy;
import io.scrapinghubio.client.errors.JobNotCancellableException;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.fault.FaultKind;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import io.scrapinghubio.emulator.store.JobState;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code Job.cancel()} says what happened: the service answers {@code {"count": 0}} alike for a
 * job that had ended and for one it had already cancelled, so the client reads the job and never
 * reports a job that ended otherwise as cancelled.
 */
class JobCancellationEmulatorTest {
  private static final String KEY = "0123456789abcdef0123456789abcdef";
  private static final AtomicLong PROJECTS = new AtomicLong(5260);

  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(KEY);

  private static ScrapinghubClient client(ScrapyCloudEmulator emu) {
    return ScrapinghubClient.create(ClientConfig.builder().apiKey(KEY).storageEndpoint(emu.storageUrl())
        .dashEndpoint(emu.dashUrl()).retryPolicy(RetryPolicy.of(5, Duration.ofMillis(5), Duration.ofMillis(50),
            Duration.ofSeconds(20))).build());
  }

  @Test
  void aJobThatHadAlreadyEndedIsReportedNotCancelledWithItsState() {
    ScrapyCloudEmulator emu = EMU.emulator();
    long p = PROJECTS.incrementAndGet();
    String pending = emu.state().addJob(p, "products", JobState.PENDING, Map.of()).key();
    String running = emu.state().addJob(p, "products", JobState.RUNNING, Map.of()).key();
    String finished = emu.state().addJob(p, "products", JobState.FINISHED, Map.of("close_reason", "finished")).key();
    String failed = emu.state().addJob(p, "products", JobState.FINISHED, Map.of("close_reason", "failed")).key();
    String noReason = emu.state().addJob(p, "products", JobState.FINISHED, Map.of()).key(); // finished through JobQ
    String deleted = emu.state().addJob(p, "products", JobState.DELETED, Map.of("close_reason", "finished")).key();
    try (ScrapinghubClient client = client(emu)) {
      JobCancellation c = client.getJob(JobKey.parse(pending)).cancel();
      assertEquals(new JobCancellation(JobKey.parse(pending), JobCancellation.Outcome.CANCELLED, null, null), c);
      assertTrue(c.cancelled());
      assertEquals("finished", emu.state().job(pending).orElseThrow().state(), "a pending job is finished at once");
      JobCancellation r = client.getJob(JobKey.parse(running)).cancel();
      assertEquals(JobCancellation.Outcome.CANCELLED, r.outcome());
      assertEquals(r, r.orThrow());

      // Again: the service cancels nothing, and the job is cancelled all the same.
      JobCancellation again = client.getJob(JobKey.parse(pending)).cancel();
      assertEquals(new JobCancellation(JobKey.parse(pending), JobCancellation.Outcome.ALREADY_CANCELLED, "finished", "cancelled"),
          again);
      assertTrue(again.cancelled());
      assertEquals(again, again.orThrow());

      assertNotCancelled(client, finished, "finished", "finished", "close reason 'finished'");
      assertNotCancelled(client, failed, "finished", "failed", "close reason 'failed'");
      assertNotCancelled(client, noReason, "finished", null, "no close reason");
      assertNotCancelled(client, deleted, "deleted", "finished", "close reason 'finished'");
      assertEquals("finished", emu.state().job(finished).orElseThrow().get("close_reason"), "left as it was");
      assertFalse(emu.state().job(finished).orElseThrow().metadata().containsKey("cancelled_by"));
    }
  }

  /**
   * The service cancels the pending job, then the connection drops before its answer: the client
   * sends the cancel again, is answered {@code {"count": 0}}, and still reports the job cancelled.
   */
  @Test
  void aCancelWhoseAnswerWasLostIsSentAgainAndReportedCancelled() {
    ScrapyCloudEmulator emu = EMU.emulator();
    long p = PROJECTS.incrementAndGet();
    String pending = emu.state().addJob(p, "products", JobState.PENDING, Map.of()).key();
    String cancelPath = "^/jobq/" + pending + "/cancel$";
    emu.faults().loseAckNext(1, "POST", cancelPath);
    try (ScrapinghubClient client = client(emu)) {
      JobCancellation c = client.getJob(JobKey.parse(pending)).cancel();
      assertEquals(new JobCancellation(JobKey.parse(pending), JobCancellation.Outcome.ALREADY_CANCELLED, "finished", "cancelled"), c);
      assertTrue(c.cancelled());
      assertEquals(1, emu.faults().injectedCount(FaultKind.RESET_AFTER_HANDLING));
      assertEquals(2, emu.requestLog().matching("POST", cancelPath).size(), "sent again after the lost answer");
    } finally {
      emu.resetFaults();
    }
    assertEquals("cancelled", emu.state().job(pending).orElseThrow().get("close_reason"));
  }

  private static void assertNotCancelled(ScrapinghubClient client, String key, String state, String closeReason, String says) {
    JobCancellation c = client.getJob(JobKey.parse(key)).cancel();
    assertEquals(new JobCancellation(JobKey.parse(key), JobCancellation.Outcome.NOT_CANCELLABLE, state, closeReason), c);
    assertFalse(c.cancelled());
    assertEquals("job " + key + " was not cancelled: it had already ended (state " + state + ", " + says + ")", c.describe());
    JobNotCancellableException e = assertThrows(JobNotCancellableException.class, c::orThrow);
    assertEquals(c.describe(), e.getMessage());
    assertEquals(key, e.jobKey());
    assertEquals(state, e.state());
    assertEquals(closeReason, e.closeReason());
    assertEquals(-1, e.status());
  }
}
