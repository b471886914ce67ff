package io.scrapinghubio.beam.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Keeps the Flink cluster that Beam's FlinkRunner starts inside the JVM (flinkMaster {@code [local]},
 * or {@code [auto]} outside a cluster) reachable from this machine only.
 *
 * <p><b>Why.</b> That embedded cluster starts Flink's REST endpoint, which serves Flink's whole REST
 * API ({@code GET /config}, job details and metrics, job cancellation and submission), and its blob
 * server; with no configuration both listen on every interface, so anyone on the network can reach
 * them for as long as the pipeline runs. Beam builds the embedded cluster's configuration from the
 * directory in the pipeline option {@code flinkConfDir} (else from {@code FLINK_CONF_DIR}, else
 * from nothing), so this class writes a directory whose {@value #FILE_NAME} binds both to
 * {@code 127.0.0.1}, and names it in that option.
 *
 * <p><b>Use.</b> Where a program parses its own arguments, pass them through {@link #addTo}:
 * <pre>{@code
 * String[] beamArgs = LoopbackFlinkConfig.addTo(args);
 * PipelineOptions options = PipelineOptionsFactory.fromArgs(beamArgs).withValidation().create();
 * }</pre>
 * Where options are built in code: {@code flinkOptions.setFlinkConfDir(LoopbackFlinkConfig.directory())}.
 *
 * <p>A Flink configuration the user chose ({@code --flinkConfDir} or {@code FLINK_CONF_DIR}) is left
 * alone: its bind addresses are then the user's to set. Runs on a remote Flink cluster are left
 * alone too; the cluster's own configuration decides there.
 *
 * <p>The same file points the cluster's scratch space ({@code io.tmp.dirs}: the RPC system's 22 MB
 * jar it unpacks, its working directory, blobs and spill files) at a folder inside that directory,
 * removed as a whole when the JVM exits. Left in the system's temporary directory, those files
 * outlive every run whose JVM exits while the cluster is still closing (it closes asynchronously
 * after the job's result is in), and a command run hourly would pile up gigabytes.
 *
 * <p>This class needs no Flink classes: it only writes a file and edits arguments, so it lives in
 * the Beam module, which does not depend on the Flink runner.
 */
public final class LoopbackFlinkConfig {
  /** The file Flink 1.19 reads from a configuration directory (standard YAML; {@code flink-conf.yaml} is the legacy name). */
  public static final String FILE_NAME = "config.yaml";

  /** The settings written, one {@code key: value} per line. */
  static final List<String> SETTINGS = List.of(
      // The REST endpoint (web UI and REST API): where it listens, and the address it advertises.
      "rest.bind-address: 127.0.0.1",
      "rest.address: 127.0.0.1",
      // The JobManager's other servers (blob server, RPC when not in-process).
      "jobmanager.bind-host: 127.0.0.1",
      // The TaskManager's servers (data exchange, RPC), when a run starts them.
      "taskmanager.bind-host: 127.0.0.1");

  private static final String CONF_DIR_OPTION = "--flinkConfDir=";
  private static final String SCRATCH_DIR = "tmp";
  private static Path directory;

  private LoopbackFlinkConfig() {}

  /**
   * A directory holding a {@value #FILE_NAME} that binds the embedded cluster's servers to
   * 127.0.0.1; written once per JVM, in the temporary directory, and deleted when the JVM exits.
   *
   * @return the directory, for {@code --flinkConfDir}
   */
  public static synchronized String directory() {
    if (directory == null) {
      try {
        Path dir = Files.createTempDirectory("scrapinghubio-flink-conf-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir), "scrapinghubio-flink-tmp-cleanup"));
        Path scratch = Files.createDirectory(dir.resolve(SCRATCH_DIR));
        Files.writeString(dir.resolve(FILE_NAME), contents(scratch), StandardCharsets.UTF_8);
        directory = dir;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the embedded Flink cluster's configuration", e);
      }
    }
    return directory.toString();
  }

  static String contents(Path scratch) {
    return "# Written by ScrapinghubIO (LoopbackFlinkConfig) for the Flink cluster embedded in this JVM:\n"
        + "# its servers answer on this machine only, and its scratch files go where this JVM removes them.\n"
        + String.join("\n", SETTINGS) + "\n"
        + "io.tmp.dirs: " + scratch + "\n"
        + "web.tmpdir: " + scratch + "\n" // the REST endpoint's scratch and upload folders
        + "web.upload.dir: " + scratch + "\n";
  }

  /**
   * The embedded cluster's scratch space ({@code io.tmp.dirs}) of this JVM.
   *
   * @return a directory of this JVM
   */
  public static Path scratchDirectory() {
    return Path.of(directory(), SCRATCH_DIR);
  }

  /** Deletes {@code dir} and what it holds; what cannot be deleted (a file still being written) stays. */
  private static void deleteQuietly(Path dir) {
    try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // the JVM is exiting: nothing better to do than leave what could not be listed
    }
  }

  /**
   * {@code args} with {@code --flinkConfDir=}{@link #directory()} added when they run the
   * FlinkRunner on an embedded cluster (no {@code --flinkMaster}, {@code [auto]} or
   * {@code [local]}) and name no Flink configuration ({@code --flinkConfDir}, or the
   * {@code FLINK_CONF_DIR} environment variable); otherwise a copy of {@code args}.
   *
   * @param args a pipeline's arguments
   * @return the arguments to run with, a new array
   */
  public static String[] addTo(String[] args) {
    return addTo(args, System.getenv("FLINK_CONF_DIR"));
  }

  static String[] addTo(String[] args, String flinkConfDirVariable) {
    boolean userConfig = value(args, CONF_DIR_OPTION) != null
        || (flinkConfDirVariable != null && !flinkConfDirVariable.isBlank());
    if (userConfig || !runsEmbeddedFlink(args)) {
      return args.clone();
    }
    List<String> l = new ArrayList<>(Arrays.asList(args));
    l.add(CONF_DIR_OPTION + directory());
    return l.toArray(new String[0]);
  }

  /** Beam accepts the runner's simple name in any case, or its class name. */
  static boolean runsEmbeddedFlink(String[] args) {
    String runner = value(args, "--runner=");
    if (runner == null) {
      return false;
    }
    String simpleName = runner.substring(runner.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    if (!simpleName.equals("flinkrunner") && !simpleName.equals("testflinkrunner")) {
      return false;
    }
    String master = value(args, "--flinkMaster=");
    return master == null || master.equals("[auto]") || master.equals("[local]");
  }

  private static String value(String[] args, String prefix) {
    String found = null;
    for (String a : args) {
      if (a.startsWith(prefix)) {
        found = a.substring(prefix.length());
      }
    }
    return found;
  }
}
