package io.scrapinghubio.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

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
  /** The 1, 5 and 15 minute load averages (Linux), to print beside figures taken on a shared machine. */
  static String loadAverage() {
    try {
      String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
      return f[0] + " / " + f[1] + " / " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

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

  /** What the raw download loop got: records, body bytes, seconds. */
  record RawRead(long records, long bytes, double seconds) {}

  /**
   * The baseline every reader is compared with: plain OkHttp fetches the same bounded pages
   * ({@code start=<job>/<offset>&count=<page>&meta=_key}) one after the other and only counts lines.
   *
   * @param identity ask for uncompressed bodies; otherwise OkHttp asks for gzip and inflates
   */
  static RawRead rawDownload(String storage, String apiKey, String jobKey, long total, int page, boolean identity)
      throws IOException {
    OkHttpClient http = new OkHttpClient.Builder().readTimeout(120, TimeUnit.SECONDS).build();
    String auth = Credentials.basic(apiKey, "");
    HttpUrl base = HttpUrl.get(storage);
    long records = 0;
    long bytes = 0;
    long t0 = System.nanoTime();
    for (long offset = 0; offset < total; offset += page) {
      HttpUrl url = base.newBuilder().addPathSegment("items").addPathSegments(jobKey)
          .addQueryParameter("start", jobKey + "/" + offset)
          .addQueryParameter("count", Long.toString(Math.min(page, total - offset)))
          .addQueryParameter("meta", "_key").build();
      Request.Builder req = new Request.Builder().url(url).header("Authorization", auth)
          .header("Accept", "application/x-jsonlines");
      if (identity) {
        req.header("Accept-Encoding", "identity");
      }
      try (Response r = http.newCall(req.build()).execute()) {
        byte[] body = r.body().bytes();
        bytes += body.length;
        int start = 0;
        for (int i = 0; i < body.length; i++) {
          if (body[i] == '\n') {
            if (i > start) {
              records++;
            }
            start = i + 1;
          }
        }
        if (start < body.length) {
          records++;
        }
      }
    }
    double s = (System.nanoTime() - t0) / 1e9;
    http.connectionPool().evictAll();
    http.dispatcher().executorService().shutdown();
    return new RawRead(records, bytes, s);
  }
}
