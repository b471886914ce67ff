package io.scrapinghubio.examples.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Flink session cluster these tests submit to: the one {@code .ci/flink-cluster.sh start} left
 * running, found through the variables of its {@code env} file ({@code FLINK_CLUSTER_DIR},
 * {@code FLINK_MASTER}, {@code FLINK_REST_URL}, {@code FLINK_LIB}), and the Scrapy Cloud key its
 * TaskManagers were started with ({@code SH_APIKEY} in their environment), given to the tests as
 * {@code FLINK_TASKMANAGERS_APIKEY}. Without them the cluster tests
 * are skipped on a developer's machine, and fail in CI ({@code CI=true}), where {@code .ci/run}
 * starts the cluster: a skipped cluster test proves nothing.
 */
final class FlinkClusterUnderTest implements ExecutionCondition {

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    String dir = System.getenv("FLINK_CLUSTER_DIR");
    if (dir != null && !dir.isBlank()) {
      return ConditionEvaluationResult.enabled("Flink cluster at " + System.getenv("FLINK_REST_URL"));
    }
    if ("true".equals(System.getenv("CI"))) {
      throw new IllegalStateException("CI=true but FLINK_CLUSTER_DIR is not set: .ci/run starts the cluster with "
          + ".ci/flink-cluster.sh and exports its env file; cluster tests must run in CI, not be skipped");
    }
    return ConditionEvaluationResult.disabled("no Flink cluster: run `.ci/flink-cluster.sh start` and "
        + "`source $FLINK_CLUSTER_DIR/env` (default /tmp/scrapinghubio-flink) to run the cluster tests");
  }

  /** host:port for Beam's {@code --flinkMaster}. */
  static String master() {
    return required("FLINK_MASTER");
  }

  static String restUrl() {
    return required("FLINK_REST_URL");
  }

  /** The cluster's jars: Flink's client classes for the job's submitting JVM. */
  static Path lib() {
    return Path.of(required("FLINK_LIB"));
  }

  /**
   * The key in the TaskManagers' environment: the emulator must accept it, and jobs are submitted
   * without a key, as the README recommends (the workers read {@code SH_APIKEY} themselves).
   */
  static String taskManagersApiKey() {
    return required("FLINK_TASKMANAGERS_APIKEY");
  }

  /** The PID of a TaskManager, by its resource id ({@code taskmanager-N}, as the REST API names it). */
  static long pidOf(String taskManagerId) throws IOException {
    Path pidFile = Path.of(required("FLINK_CLUSTER_DIR"), "pids", taskManagerId + ".pid");
    return Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).strip());
  }

  /** Starts one more TaskManager with the cluster's script; returns its resource id once it has registered. */
  static String addTaskManager() throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("bash", System.getProperty("flinkClusterScript"), "add-taskmanager")
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("SH_APIKEY", taskManagersApiKey()); // like its peers: the key in its environment
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("add-taskmanager failed: " + out);
    }
    String last = out.substring(out.lastIndexOf('\n') + 1).strip(); // "taskmanager-N PID"
    return last.split(" ")[0];
  }

  private static String required(String name) {
    String v = System.getenv(name);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException(name + " is not set: source the env file that .ci/flink-cluster.sh start writes");
    }
    return v;
  }

  private FlinkClusterUnderTest() {}
}
