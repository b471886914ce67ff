package io.scrapinghubio.examples.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.demo.DemoData;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
 * The README's main job, BulkExport, submitted to a real Flink cluster (1 JobManager and 2
 * TaskManagers, separate JVMs) from its shaded job jar: the exported lines are exactly the
 * service's items, and subtasks ran on both TaskManagers. The emulator runs in this JVM on
 * loopback; the TaskManagers read from it and write the files themselves.
 */
@Tag("flink-cluster")
@ExtendWith(FlinkClusterUnderTest.class)
class BulkExportOnClusterIT {
  /** The key the TaskManagers have in their environment; the jobs are submitted without one. */
  private static final String KEY = FlinkClusterUnderTest.taskManagersApiKey();
  private static ScrapyCloudEmulator emulator;
  private static final DemoData DEMO = DemoData.of(8, 1500);

  @BeforeAll
  static void startEmulator() {
    emulator = ScrapyCloudEmulator.builder().apiKey(KEY).demoData(DEMO).start();
  }

  @AfterAll
  static void stopEmulator() {
    emulator.close();
  }

  @Test
  void exportsEveryItemOnceWithTasksOnBothTaskManagers(@TempDir Path dir) throws Exception {
    Path output = dir.resolve("export");
    String name = "bulk-export-" + UUID.randomUUID();
    try (SubmittedJob job = SubmittedJob.submit("io.scrapinghubio.examples.BulkExport", name, dir, List.of(
        "--endpoint=" + emulator.storageUrl(), "--dash-endpoint=" + emulator.dashUrl(),
        "--project=" + DEMO.project(), "--output=" + output))) {
      String out = job.awaitSuccess(5, TimeUnit.MINUTES);
      // The line names where the files are (checked below), absolute.
      assertTrue(out.contains("Exported project " + DEMO.project() + " to " + output + ": "), out);
    }

    Map<String, Integer> expected = ExportedItems.inService(config(), DEMO.project());
    assertEquals(8 * 1500, ExportedItems.total(expected));
    assertEquals(expected, ExportedItems.inFiles(output), "exported lines must be exactly the service's items");

    FlinkRestApi flink = new FlinkRestApi(FlinkClusterUnderTest.restUrl());
    String jobId = flink.jobId(name).orElseThrow(() -> new AssertionError("the cluster never saw job " + name));
    assertEquals("FINISHED", flink.state(jobId));
    Set<String> taskManagers = flink.taskManagersOf(jobId);
    assertTrue(taskManagers.size() >= 2, "subtasks ran on " + taskManagers + ", expected both TaskManagers");
  }

  private static ClientConfig config() {
    return ClientConfig.builder().apiKey(KEY).storageEndpoint(emulator.storageUrl()).dashEndpoint(emulator.dashUrl()).build();
  }
}
