package io.scrapinghubio.emulator.testcontainers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.client.Job;
import io.scrapinghubio.client.JobQuery;
import io.scrapinghubio.client.JobSummary;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.core.RetryPolicy;
import io.scrapinghubio.client.errors.UnauthorizedException;
import io.scrapinghubio.client.read.JobRecord;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The client against the containerised emulator: demo jobs listed and read whole, the key enforced. */
@ExtendWith(EmulatorImageUnderTest.class)
@Testcontainers
class ClientOverContainerTest {
  private static final String KEY = "fedcba9876543210fedcba9876543210";

  @Container
  static final ScrapyCloudEmulatorContainer EMULATOR = EmulatorImageUnderTest.container()
      .withApiKey(KEY).withDemoData(3, 400);

  @Test
  void listsEveryDemoJobAndReadsEachWhole() {
    try (ScrapinghubClient client = ScrapinghubClient.create(EMULATOR.clientConfig())) {
      List<JobSummary> jobs = client.getProject(EMULATOR.getDemoProject()).jobs().list(JobQuery.all());
      assertEquals(3, jobs.size(), jobs.toString());
      Set<String> keys = new HashSet<>();
      for (JobSummary s : jobs) {
        assertEquals("finished", s.state());
        Job job = client.getJob(s.key());
        assertEquals(400, job.items().count(), "stats of " + s.key());
        long read = 0;
        for (JobRecord item : job.items().iter()) {
          assertTrue(item.json().startsWith("{\"url\":"), item.json());
          read++;
        }
        assertEquals(400, read, "items of " + s.key());
        keys.add(s.key().toString());
      }
      assertEquals(3, keys.size());
    }
  }

  @Test
  void anotherKeyIsRefused() {
    ClientConfig wrong = EMULATOR.clientConfig().toBuilder().apiKey("00000000000000000000000000000000")
        .retryPolicy(RetryPolicy.none()).build();
    try (ScrapinghubClient client = ScrapinghubClient.create(wrong)) {
      assertThrows(UnauthorizedException.class, () -> client.getProject(EMULATOR.getDemoProject()).jobs().count());
    }
  }

  @Test
  void endpointsAreTheContainersLoopbackPort() {
    assertTrue(EMULATOR.getStorageUrl().matches("http://127\\.0\\.0\\.1:\\d+/"), EMULATOR.getStorageUrl());
    assertEquals(EMULATOR.getStorageUrl() + "api/", EMULATOR.getDashUrl());
    assertEquals(KEY, EMULATOR.getApiKey());
  }
}
