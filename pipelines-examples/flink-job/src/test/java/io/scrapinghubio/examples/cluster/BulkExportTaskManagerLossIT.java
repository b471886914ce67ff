package io.scrapinghubio.examples.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.demo.DemoData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TaskManager process killed (SIGKILL) while BulkExport reads, and a replacement started: Flink's
 * restart strategy (fixed delay, set in the cluster's config) runs the job again on the surviving
 * and the new TaskManager, and the exported files hold exactly the service's items: nothing lost
 * with the dead process, nothing written twice by the attempts.
 */
@Tag("flink-cluster")
@ExtendWith(FlinkClusterUnderTest.class)
class BulkExportTaskManagerLossIT {
  /** The key the TaskManagers have in their environment; the jobs are submitted without one. */
  private static final String KEY = FlinkClusterUnderTest.taskManagersApiKey();
  private static final DemoData DEMO = DemoData.of(12, 2000);
  /** Slow item pages (listing and sizing stay fast): each attempt reads for about 15 s, so the kill lands mid-read. */
  private static final long ITEM_PAGE_LATENCY_MS = 2000;
  private static ScrapyCloudEmulator emulator;

  @BeforeAll
  static void startEmulator() {
    emulator = ScrapyCloudEmulator.builder().apiKey(KEY).demoData(DEMO).start();
  }

  @AfterAll
  static void stopEmulator() {
    emulator.close();
  }

  @Test
  void killedTaskManagerIsReplacedAndTheExportIsExact(@TempDir Path dir) throws Exception {
    Path output = dir.resolve("export");
    String name = "bulk-export-tm-loss-" + UUID.randomUUID();
    FlinkRestApi flink = new FlinkRestApi(FlinkClusterUnderTest.restUrl());
    emulator.faults().rule().path("^/items/\\d+/\\d+/\\d+$").latency(ITEM_PAGE_LATENCY_MS);
    String replacement;
    String victim;
    try (SubmittedJob job = SubmittedJob.submit("io.scrapinghubio.examples.BulkExport", name, dir, List.of(
        "--endpoint=" + emulator.storageUrl(), "--dash-endpoint=" + emulator.dashUrl(),
        "--project=" + DEMO.project(), "--output=" + output))) {
      String jobId = awaitReading(flink, job, Duration.ofMinutes(3));
      victim = flink.taskManagersRunning(jobId).iterator().next();
      ProcessHandle process = ProcessHandle.of(FlinkClusterUnderTest.pidOf(victim))
          .orElseThrow(() -> new AssertionError(victim + " is not running"));
      process.destroyForcibly(); // SIGKILL: no goodbye to the JobManager, as when a machine dies
      process.onExit().get(30, TimeUnit.SECONDS);
      replacement = FlinkClusterUnderTest.addTaskManager();

      String out = job.awaitSuccess(8, TimeUnit.MINUTES);
      // The line names where the files are (checked below), absolute.
      assertTrue(out.contains("Exported project " + DEMO.project() + " to " + output + ": "), out);

      JsonNode failures = flink.exceptionHistory(jobId);
      assertFalse(failures.isEmpty(), "the job must have lost tasks with " + victim + " and restarted");
      assertEquals("FINISHED", flink.state(jobId));
      Set<String> ranOn = flink.taskManagersOf(jobId);
      assertTrue(ranOn.contains(replacement), "the restarted job needs the replacement's slot: ran on " + ranOn);
    } finally {
      emulator.resetFaults();
    }

    Map<String, Integer> expected = ExportedItems.inService(config(), DEMO.project());
    assertEquals(12 * 2000, ExportedItems.total(expected));
    Map<String, Integer> exported = ExportedItems.inFiles(output);
    assertEquals(ExportedItems.total(expected), ExportedItems.total(exported), "line count");
    assertEquals(expected, exported, "exported lines must be exactly the service's items");
  }

  /** The job's id once its tasks run and the first item page was requested. */
  private static String awaitReading(FlinkRestApi flink, SubmittedJob job, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!job.isAlive()) {
        throw new AssertionError("the job client exited before the job read anything:\n" + job.output());
      }
      Optional<String> id = flink.jobId(job.name);
      if (id.isPresent() && !flink.taskManagersRunning(id.get()).isEmpty()
          && !emulator.requestLog().matching("GET", "^/items/\\d+/\\d+/\\d+$").isEmpty()) {
        return id.get();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("job " + job.name + " did not start reading within " + timeout + ":\n" + job.output());
  }

  private static ClientConfig config() {
    return ClientConfig.builder().apiKey(KEY).storageEndpoint(emulator.storageUrl()).dashEndpoint(emulator.dashUrl()).build();
  }
}
