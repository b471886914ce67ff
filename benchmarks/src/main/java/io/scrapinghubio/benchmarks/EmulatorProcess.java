package io.scrapinghubio.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The emulator in a JVM of its own, seeded with demo jobs, so that a benchmark's contestants do
 * not share its heap or its CPU accounting.
 */
final class EmulatorProcess implements AutoCloseable {
  final Process process;
  final String storage;
  final String dash;

  private EmulatorProcess(Process process, String storage, String dash) {
    this.process = process;
    this.storage = storage;
    this.dash = dash;
  }

  static EmulatorProcess start(String cp, String apiKey, int jobs, long itemsPerJob, int latencyMs, boolean gzip)
      throws Exception {
    return start(cp, apiKey, jobs, itemsPerJob, latencyMs, gzip, List.of());
  }

  /** As above, with more of the emulator's options (e.g. {@code --fault-rate 0.1}). */
  static EmulatorProcess start(String cp, String apiKey, int jobs, long itemsPerJob, int latencyMs, boolean gzip,
      List<String> moreOptions) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    long items = jobs * itemsPerJob;
    long heapMb = Math.max(1024, items * 3 / 1000 + 512); // ~1.4 KB per item, stored once, plus headroom
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx" + heapMb + "m", "-XX:+UseParallelGC", "-cp", cp,
        "io.scrapinghubio.emulator.EmulatorMain", "--port", "0", "--apikey", apiKey,
        "--demo-jobs", Integer.toString(jobs), "--demo-items-per-job", Long.toString(itemsPerJob),
        "--latency-ms", Integer.toString(latencyMs)));
    if (!gzip) {
      cmd.add("--no-gzip");
    }
    cmd.addAll(moreOptions);
    System.out.printf("starting emulator: %d jobs x %d items, latency %d ms, gzip %s %s%n", jobs, itemsPerJob, latencyMs,
        gzip ? "on" : "off", String.join(" ", moreOptions));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String storage = BenchSupport.awaitLine(out, "storage endpoint:");
      String dash = BenchSupport.awaitLine(out, "dash endpoint:");
      Thread drain = new Thread(() -> {
        try {
          while (out.readLine() != null) {
            // discard
          }
        } catch (IOException ignored) {
          // emulator gone
        }
      }, "emulator-output");
      drain.setDaemon(true);
      drain.start();
      return new EmulatorProcess(p, storage, dash);
    } catch (Exception e) {
      p.destroy();
      throw e;
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
