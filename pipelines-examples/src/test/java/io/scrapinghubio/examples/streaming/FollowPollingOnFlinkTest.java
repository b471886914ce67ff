package io.scrapinghubio.examples.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.log.LoggedRequest;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Polling on Flink once the job's sources have shut down (which a pipeline that ends by its
 * termination condition needs): Beam's Flink runner then fires pending resume timers at once, and
 * the read must still list the project once per poll interval, not in a loop.
 */
class FollowPollingOnFlinkTest {
  private static final String KEY = "0123456789abcdef0123456789abcdef";

  @Test
  @Timeout(300) // a hang guard only
  void idlePollsAreAPollIntervalApartAndOneListingEach() {
    long project = 7801;
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).projects(project).start()) {
      Pipeline p = Pipeline.create(EmbeddedFlinkStreaming.options(300));
      p.apply(ScrapinghubIO.read().withConnection(ScrapinghubConnection.fromClientConfig(ClientConfig.builder().apiKey(KEY)
              .storageEndpoint(emu.storageUrl()).dashEndpoint(emu.dashUrl()).build()))
          .withProject(project).continuously(Duration.millis(500)).withRunningJobs().withTerminationAfterIdlePolls(5));
      assertEquals(PipelineResult.State.DONE, p.run().waitUntilFinish());
      List<LoggedRequest> listings = emu.requestLog().matching("GET", "^/jobq/" + project + "/list$");
      assertEquals(5, listings.size(), "5 idle polls, one listing each: " + listings.size());
      for (int i = 1; i < listings.size(); i++) {
        long gap = listings.get(i).timeMillis() - listings.get(i - 1).timeMillis();
        // The pacer sleeps out the interval between two polls' starts; 50 ms covers the requests' own jitter.
        assertTrue(gap >= 450, "poll " + i + " came " + gap + " ms after the previous one, expected a poll interval (500 ms)");
      }
    }
  }
}
