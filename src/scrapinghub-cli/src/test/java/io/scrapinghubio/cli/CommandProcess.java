package io.scrapinghubio.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A started process (the jar, or a shell running it) and every line it printed, stdout and stderr
 * merged, read as they come. No API key reaches it but the ones given in its environment.
 */
final class CommandProcess {
  /**
   * A process started by a shell in the background inherits SIGINT ignored, and the JVM then keeps
   * ignoring it (as it should: nohup): {@code env --default-signal=INT}, where there is one, gives
   * the jar the default a terminal's Ctrl-C finds.
   */
  static final List<String> SIGINT_ENABLED = sigintEnabled();

  private static List<String> sigintEnabled() {
    try {
      Process p = new ProcessBuilder("env", "--default-signal=INT", "true").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0 ? List.of("env", "--default-signal=INT") : List.of();
    } catch (IOException | InterruptedException e) {
      return List.of();
    }
  }

  final Process process;
  final List<String> lines = Collections.synchronizedList(new ArrayList<>());
  private final Thread reader;

  /**
   * @param dir its working directory, or null for this one
   * @param env added to this process's environment, from which the Scrapy Cloud key variables are removed
   */
  CommandProcess(List<String> cmd, Path dir, Map<String, String> env) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    pb.environment().remove("SH_APIKEY");
    pb.environment().remove("SHUB_APIKEY");
    pb.environment().putAll(env);
    process = pb.start();
    reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null; ) {
          lines.add(l);
        }
      } catch (IOException ignored) {
        // the process is gone
      }
    });
    reader.setDaemon(true);
    reader.start();
  }

  /** Its exit code, once it has ended and its last lines are read; fails the test (and ends it) after {@code bound}. */
  /** The executable jar ({@code cli.jar}) with {@code args}, as the jar tests run it, the API key in its environment only. */
  static CommandProcess cliJar(String apiKey, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-jar", System.getProperty("cli.jar")));
    cmd.addAll(List.of(args));
    return new CommandProcess(cmd, null, Map.of("SH_APIKEY", apiKey));
  }

  /** The parts an unfinished export has committed so far in {@code parts} (its {@code files} directory). */
  static long committedParts(Path parts) throws IOException {
    if (!Files.isDirectory(parts)) {
      return 0;
    }
    try (var files = Files.list(parts)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".ranges")).count();
    }
  }

  /**
   * Kills this export with SIGKILL (no shutdown hook runs) once it has committed a part to
   * {@code parts}, or at once if it ends first or commits nothing within two minutes.
   *
   * @return whether it was still running when killed, with a part committed: a rerun must resume
   */
  boolean killAfterFirstCommit(Path parts) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (process.isAlive() && committedParts(parts) == 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    boolean killedMidway = process.isAlive();
    process.destroyForcibly();
    if (!process.waitFor(1, TimeUnit.MINUTES)) {
      fail("the killed export did not end: " + output());
    }
    return killedMidway;
  }

  int waitFor(Duration bound) throws InterruptedException {
    if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
      destroy();
      fail("still running after " + bound + ": " + output());
    }
    reader.join(10_000);
    return process.exitValue();
  }

  /** Whether a line matching {@code p} is printed within {@code seconds} (or before the process ends). */
  boolean awaitLine(Predicate<String> p, long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline && process.isAlive()) {
      if (printed(p)) {
        return true;
      }
      Thread.sleep(50);
    }
    return printed(p);
  }

  private boolean printed(Predicate<String> p) {
    synchronized (lines) {
      return lines.stream().anyMatch(p);
    }
  }

  String output() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  /** Ends the process and any it started (a shell's jar). */
  void destroy() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
