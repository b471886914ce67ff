package io.scrapinghubio.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What every benchmark needs to run the emulator in a JVM of its own. */
final class BenchSupport {
  private BenchSupport() {}

  /**
   * The class path to start the emulator's JVM with. Under {@code exec:java} the project's class
   * path is the context class loader's, not {@code java.class.path}.
   */
  static String classPath() throws Exception {
    List<String> parts = new ArrayList<>();
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    while (cl != null) {
      if (cl instanceof java.net.URLClassLoader u) {
        for (java.net.URL url : u.getURLs()) {
          parts.add(new File(url.toURI()).getPath());
        }
      }
      cl = cl.getParent();
    }
    return parts.isEmpty() ? System.getProperty("java.class.path") : String.join(File.pathSeparator, parts);
  }

  /** Echoes the emulator's output until a line starts with {@code prefix}; returns the rest of it. */
  static String awaitLine(BufferedReader r, String prefix) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    String line;
    while (System.nanoTime() < deadline && (line = r.readLine()) != null) {
      System.out.println("  [emulator] " + line);
      if (line.startsWith(prefix)) {
        return line.substring(prefix.length()).strip();
      }
    }
    throw new IllegalStateException("emulator did not print '" + prefix + "'");
  }
}
