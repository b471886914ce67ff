package io.scrapinghubio.beam.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which runs get the loopback configuration, and what it says (that Flink obeys it: {@link EmbeddedFlinkOnLoopbackTest}). */
class LoopbackFlinkConfigTest {
  private static final String ADDED = "--flinkConfDir=" + LoopbackFlinkConfig.directory();

  private static List<String> add(String... args) {
    return List.of(LoopbackFlinkConfig.addTo(args, null));
  }

  @Test
  void theDirectoryHoldsAConfigYamlBindingEveryServerToLoopback() throws Exception {
    Path file = Path.of(LoopbackFlinkConfig.directory(), LoopbackFlinkConfig.FILE_NAME);
    List<String> lines = Files.readAllLines(file);
    assertTrue(lines.containsAll(List.of("rest.bind-address: 127.0.0.1", "rest.address: 127.0.0.1",
        "jobmanager.bind-host: 127.0.0.1", "taskmanager.bind-host: 127.0.0.1")), lines.toString());
    assertEquals(LoopbackFlinkConfig.directory(), LoopbackFlinkConfig.directory(), "written once per JVM");
  }

  @Test
  void addedToEmbeddedFlinkRuns() {
    assertEquals(List.of("--runner=FlinkRunner", ADDED), add("--runner=FlinkRunner"));
    assertEquals(List.of("--runner=flinkrunner", "--flinkMaster=[local]", ADDED), add("--runner=flinkrunner", "--flinkMaster=[local]"));
    assertEquals(List.of("--runner=org.apache.beam.runners.flink.FlinkRunner", "--flinkMaster=[auto]", ADDED),
        add("--runner=org.apache.beam.runners.flink.FlinkRunner", "--flinkMaster=[auto]"));
    assertEquals(List.of("--output=x", "--runner=TestFlinkRunner", ADDED), add("--output=x", "--runner=TestFlinkRunner"));
  }

  @Test
  void otherRunsAndTheUsersOwnConfigurationAreLeftAlone() {
    assertEquals(List.of(), add());
    assertEquals(List.of("--runner=DirectRunner"), add("--runner=DirectRunner"));
    assertEquals(List.of("--output=x"), add("--output=x"), "no runner: Beam's default, the Direct runner");
    assertEquals(List.of("--runner=FlinkRunner", "--flinkMaster=flink-jm:8081"), add("--runner=FlinkRunner", "--flinkMaster=flink-jm:8081"));
    assertEquals(List.of("--runner=FlinkRunner", "--flinkMaster=[collection]"), add("--runner=FlinkRunner", "--flinkMaster=[collection]"));
    assertEquals(List.of("--runner=FlinkRunner", "--flinkConfDir=/etc/flink"), add("--runner=FlinkRunner", "--flinkConfDir=/etc/flink"));
    String[] args = {"--runner=FlinkRunner"};
    assertArrayEquals(args, LoopbackFlinkConfig.addTo(args, "/opt/flink/conf"), "FLINK_CONF_DIR is the user's choice");
  }
}
