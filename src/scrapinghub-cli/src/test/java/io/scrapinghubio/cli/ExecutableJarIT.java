package io.scrapinghubio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.demo.DemoData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar scrapinghub-io.jar} in a process of its own, as a user runs it: the shaded jar
 * finds Beam's and Flink's services, runs the export on embedded Flink, keeps the key out of
 * everything it prints (logs included), and Ctrl-C leaves no output behind.
 */
@Tag("jar")
class ExecutableJarIT {
  private static final String KEY = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";

  /** A started {@code java -jar} and everything it printed (stdout and stderr, merged). */
  private static final class JarProcess {
    final Process process;
    final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    JarProcess(Map<String, String> env, String... args) throws IOException {
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx1g", "-jar", System.getProperty("cli.jar")));
      cmd.addAll(List.of(args));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().remove("SH_APIKEY");
      pb.environment().remove("SHUB_APIKEY");
      pb.environment().putAll(env);
      process = pb.start();
      Thread reader = new Thread(() -> {
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

    int waitFor() throws InterruptedException {
      assertTrue(process.waitFor(3, TimeUnit.MINUTES), "finished in time: " + lines);
      Thread.sleep(200); // the reader drains the last lines
      return process.exitValue();
    }

    boolean awaitLine(Predicate<String> p, long seconds) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (System.nanoTime() < deadline && process.isAlive()) {
        synchronized (lines) {
          if (lines.stream().anyMatch(p)) {
            return true;
          }
        }
        Thread.sleep(50);
      }
      return false;
    }

    String output() {
      synchronized (lines) {
        return String.join("\n", lines);
      }
    }
  }

  @Test
  void exportsTheDemoProjectOnEmbeddedFlink(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("export");
    JarProcess jar = new JarProcess(Map.of(), "export", "--output=" + out, "--demo-jobs=3", "--demo-items-per-job=200");
    assertEquals(0, jar.waitFor(), jar.output());
    assertTrue(jar.lines.get(0).startsWith("Demo mode"), jar.output());
    assertTrue(jar.output().contains("with embedded Flink"), jar.output());
    List<Path> files;
    try (var l = Files.list(out)) {
      files = l.toList();
    }
    assertEquals(DemoItems.demo(3, 200), DemoItems.lines(files), "exported lines must be exactly the stored items");
    assertTrue(jar.lines.stream().anyMatch(l -> l.startsWith("Exported 3 jobs, 600 items")), jar.output());
    assertTrue(jar.lines.stream().noneMatch(l -> l.contains(" WARN ") || l.contains(" ERROR ")),
        "a clean run logs no warning: " + jar.output());
  }

  @Test
  void helpAndBadUsage() throws Exception {
    JarProcess help = new JarProcess(Map.of(), "schedule", "--help");
    assertEquals(0, help.waitFor(), help.output());
    assertTrue(help.output().contains("--consumed-tag=TAG"), help.output());
    JarProcess bad = new JarProcess(Map.of(), "export", "--project=x");
    assertEquals(2, bad.waitFor(), bad.output());
    assertEquals(1, bad.lines.size(), bad.output());
  }

  @Test
  void theKeyIsNeverPrintedNotEvenInVerboseLogs(@TempDir Path dir) throws Exception {
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).demoData(DemoData.of(2, 50)).start()) {
      String[] args = {"export", "--project=" + DemoData.DEFAULT_PROJECT, "--endpoint=" + emu.storageUrl(),
          "--runner=direct", "--verbose", "--output=" + dir.resolve("ok")};
      JarProcess ok = new JarProcess(Map.of("SH_APIKEY", KEY), args);
      assertEquals(0, ok.waitFor(), ok.output());
      assertTrue(ok.output().contains("Exported 2 jobs, 100 items"), ok.output());
      assertFalse(ok.output().contains(KEY), ok.output());

      String wrong = "00000000000000000000000000000000";
      args[args.length - 1] = "--output=" + dir.resolve("refused");
      JarProcess refused = new JarProcess(Map.of("SH_APIKEY", wrong), args);
      assertEquals(1, refused.waitFor(), refused.output());
      assertTrue(refused.output().contains("cannot use Scrapy Cloud at " + emu.storageUrl()), refused.output());
      assertFalse(refused.output().contains(wrong) || refused.output().contains(KEY), refused.output());
    }
  }

  @Test
  void stoppingTheProcessLeavesNoOutput(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("export");
    JarProcess jar = new JarProcess(Map.of(), "export", "--output=" + out, "--demo-jobs=20",
        "--demo-items-per-job=5000", "--progress-seconds=1", "--parallelism=1");
    assertTrue(jar.awaitLine(l -> l.matches("Progress: [1-9][\\d,]* of .*"), 120),
        "the export got under way: " + jar.output());
    // What Ctrl-C sends. (Process.destroy() would send SIGTERM, which runs the same shutdown hooks,
    // but it also closes our end of the child's output, losing its last lines.)
    assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(jar.process.pid())).start().waitFor());
    int code = jar.waitFor();
    assertEquals(130, code, "stopped by SIGINT, not completed: " + jar.output());
    assertTrue(jar.output().contains("Stopped: the pipeline was interrupted"), jar.output());
    assertFalse(Files.exists(out), "no output: " + jar.output());
    try (var siblings = Files.list(dir)) {
      assertEquals(List.of(), siblings.toList(), "no staging directory left behind");
    }
  }
}
