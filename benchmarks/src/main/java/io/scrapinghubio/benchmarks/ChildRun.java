package io.scrapinghubio.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One contestant of a benchmark run as a whole process, the way a user starts it: wall time from
 * process start to exit (JVM start-up included) and peak resident memory, sampled from
 * {@code /proc/<pid>/status} ({@code VmHWM}, the kernel's own high-water mark) until it exits.
 */
final class ChildRun {
  /** {@code cpuSeconds}: user + system time of the process, sampled until it exits (to within 20 ms). */
  record Result(int exitCode, double seconds, long peakRssBytes, double cpuSeconds, List<String> output) {}

  private ChildRun() {}

  static Result run(List<String> command, Map<String, String> env, String label) throws Exception {
    System.out.println("  $ " + String.join(" ", command).replaceAll("-cp \\S+", "-cp <classpath>"));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    long t0 = System.nanoTime();
    Process p = pb.start();
    List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          lines.add(line);
          System.out.println("    [" + label + "] " + line);
        }
      } catch (IOException ignored) {
        // process gone
      }
    }, "child-output");
    reader.setDaemon(true);
    reader.start();
    Path status = Path.of("/proc", Long.toString(p.pid()), "status");
    long peak = 0;
    double cpu = 0;
    while (!p.waitFor(20, TimeUnit.MILLISECONDS)) {
      peak = Math.max(peak, highWaterMark(status));
      cpu = Math.max(cpu, p.toHandle().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0));
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    reader.join(5000);
    return new Result(p.exitValue(), seconds, peak, cpu, List.copyOf(lines));
  }

  /** {@code VmHWM} in bytes, or 0 once the process is gone. */
  private static long highWaterMark(Path status) {
    try {
      for (String l : Files.readAllLines(status)) {
        if (l.startsWith("VmHWM:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // exited between two samples
    }
    return 0;
  }
}
