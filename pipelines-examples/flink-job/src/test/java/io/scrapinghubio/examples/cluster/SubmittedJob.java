package io.scrapinghubio.examples.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A job submitted to the cluster the way a user submits it: a JVM of its own running the job's
 * main class from the shaded job jar, with the cluster's jars (Flink's client) next to it, and
 * {@code --runner=FlinkRunner --flinkMaster=... --filesToStage=<the job jar>}. The process lives
 * until the job has finished on the cluster.
 */
final class SubmittedJob implements AutoCloseable {
  private final Process process;
  private final Path output;
  final String name;

  private SubmittedJob(Process process, Path output, String name) {
    this.process = process;
    this.output = output;
    this.name = name;
  }

  /** Submits {@code mainClass} with {@code args} (after the runner's), named {@code name}; its output goes to {@code dir}. */
  static SubmittedJob submit(String mainClass, String name, Path dir, List<String> args) throws IOException {
    Path jobJar = Path.of(System.getProperty("jobJar"));
    if (!Files.isRegularFile(jobJar)) {
      throw new IllegalStateException("job jar " + jobJar + " missing: the cluster tests run after `package`");
    }
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-Dlog4j.configurationFile=file:" + FlinkClusterUnderTest.lib().resolveSibling("conf").resolve("log4j.properties"),
        "-Dlog.file=" + dir.resolve("job-client.log"),
        "-cp", jobJar + File.pathSeparator + FlinkClusterUnderTest.lib() + File.separator + "*",
        mainClass,
        // Kebab-case, as the README writes them: the examples read each --a-b as Beam's --aB.
        "--runner=FlinkRunner", "--flink-master=" + FlinkClusterUnderTest.master(), "--parallelism=2",
        "--files-to-stage=" + jobJar, "--job-name=" + name));
    cmd.addAll(args);
    Path out = dir.resolve("job-client.out");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    return new SubmittedJob(p, out, name);
  }

  /** Waits for the submitting JVM to exit; fails with its output unless it exited 0 within the time. */
  String awaitSuccess(long timeout, TimeUnit unit) throws IOException, InterruptedException {
    if (!process.waitFor(timeout, unit)) {
      process.destroyForcibly();
      throw new AssertionError("job " + name + " did not finish within " + timeout + " " + unit + "; its output:\n" + output());
    }
    if (process.exitValue() != 0) {
      throw new AssertionError("job " + name + " failed (exit " + process.exitValue() + "); its output:\n" + output());
    }
    return output();
  }

  /** Waits for the submitting JVM to exit, whatever its exit code; fails with its output if it does not in time. */
  int awaitExit(long timeout, TimeUnit unit) throws IOException, InterruptedException {
    if (!process.waitFor(timeout, unit)) {
      process.destroyForcibly();
      throw new AssertionError("the job client of " + name + " did not exit within " + timeout + " " + unit + "; its output:\n"
          + output());
    }
    return process.exitValue();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String output() throws IOException {
    return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
  }

  /** The submitting JVM only: the job itself is the cluster's (tests wait for it to end first). */
  @Override
  public void close() {
    process.destroyForcibly();
  }
}
