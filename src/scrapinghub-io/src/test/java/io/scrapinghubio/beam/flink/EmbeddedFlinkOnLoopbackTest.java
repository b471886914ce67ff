package io.scrapinghubio.beam.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * While a pipeline runs on the embedded Flink cluster, the servers it opened listen on 127.0.0.1
 * only, and one of them is the REST endpoint (it answers {@code GET /config}). The addresses are
 * read from the kernel's socket table ({@link ListeningSockets}), so no traffic leaves loopback.
 */
@Tag("flink")
class EmbeddedFlinkOnLoopbackTest {
  /** The JVM's listeners each run's DoFn saw, by run name: it runs inside the cluster, so the cluster is up. */
  private static final ConcurrentHashMap<String, Set<InetSocketAddress>> SEEN = new ConcurrentHashMap<>();
  /** Those of them that answered {@code GET /config} on 127.0.0.1 at that moment. */
  private static final ConcurrentHashMap<String, Set<InetSocketAddress>> ANSWERED_CONFIG = new ConcurrentHashMap<>();

  @BeforeAll
  static void needsTheKernelsSocketTable() {
    assumeTrue(ListeningSockets.available(), "reads /proc (Linux)");
  }

  /** Records the JVM's listening sockets, and which answer {@code GET /config}, from inside the running pipeline. */
  static final class RecordListeners extends DoFn<String, String> {
    @ProcessElement
    public void process(@Element String run) {
      Set<InetSocketAddress> listeners = ListeningSockets.ofThisProcess();
      Set<InetSocketAddress> rest = new HashSet<>();
      for (InetSocketAddress s : listeners) {
        if (answersConfig(s)) {
          rest.add(s);
        }
      }
      SEEN.put(run, listeners);
      ANSWERED_CONFIG.put(run, rest);
    }
  }

  /** The listeners the embedded cluster opened during a run, i.e. those that were not there before. */
  private static Set<InetSocketAddress> serversOfARun(String run, String flinkConfDir) {
    Set<InetSocketAddress> before = ListeningSockets.ofThisProcess();
    FlinkPipelineOptions o = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    o.setRunner(FlinkRunner.class);
    o.setFlinkMaster("[local]");
    o.setParallelism(1);
    if (flinkConfDir != null) {
      o.setFlinkConfDir(flinkConfDir);
    }
    Pipeline p = Pipeline.create(o);
    p.apply(Create.of(run)).apply(ParDo.of(new RecordListeners()));
    p.run().waitUntilFinish();
    Set<InetSocketAddress> opened = new HashSet<>(SEEN.get(run));
    opened.removeAll(before);
    return opened;
  }

  @Test
  void withTheLoopbackConfigEveryServerListensOnLoopbackOnly() {
    Set<InetSocketAddress> servers = serversOfARun("loopback", LoopbackFlinkConfig.directory());
    assertFalse(servers.isEmpty(), "the embedded cluster opened no server?");
    for (InetSocketAddress s : servers) {
      assertTrue(s.getAddress().isLoopbackAddress(), "listens beyond this machine: " + s + " (all: " + servers + ")");
    }
    Set<InetSocketAddress> rest = new HashSet<>(ANSWERED_CONFIG.get("loopback"));
    rest.retainAll(servers);
    assertEquals(1, rest.size(), "exactly one of " + servers + " is the REST endpoint: " + rest);
  }

  /**
   * The cluster's scratch files (the RPC system's unpacked jar, its working directory) go to the
   * folder the JVM removes when it exits, not to the system's temporary directory, where a run
   * whose JVM exits while the cluster closes would leave 22 MB each time.
   */
  @Test
  void withTheLoopbackConfigTheClustersScratchFilesGoToItsOwnFolder() throws IOException {
    serversOfARun("scratch", LoopbackFlinkConfig.directory());
    java.nio.file.Path scratch = LoopbackFlinkConfig.scratchDirectory();
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(scratch)) {
      java.util.List<String> names = files.map(f -> f.getFileName().toString()).toList();
      assertTrue(names.stream().anyMatch(n -> n.startsWith("minicluster_")),
          "the cluster's working directory is in " + scratch + ": " + names);
    }
  }

  /** The defect, shown: without a configuration, Flink's servers listen on every interface. */
  @Test
  void withoutItTheServersListenOnEveryInterface() {
    assumeTrue(System.getenv("FLINK_CONF_DIR") == null, "a FLINK_CONF_DIR of the machine's decides instead");
    Set<InetSocketAddress> servers = serversOfARun("default", null);
    assertTrue(servers.stream().anyMatch(s -> s.getAddress().isAnyLocalAddress()), "expected a wildcard listener: " + servers);
  }

  /** GET /config through 127.0.0.1 (loopback only): Flink's REST endpoint answers with its version. */
  private static boolean answersConfig(InetSocketAddress s) {
    try {
      HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + s.getPort() + "/config").openConnection();
      c.setConnectTimeout(2000);
      c.setReadTimeout(5000);
      try {
        return c.getResponseCode() == 200
            && new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8).contains("flink-version");
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      return false; // not an HTTP server (the blob server)
    }
  }
}
