package io.scrapinghubio.benchmarks;

import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.Job;
import io.scrapinghubio.client.JobQuery;
import io.scrapinghubio.client.JobSummary;
import io.scrapinghubio.client.core.RetryPolicy;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.read.JobRecord;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Read throughput of the Java client against a raw OkHttp loop, and its peak heap.
 *
 * <pre>
 * mvn -q install -DskipTests &amp;&amp; mvn -q -f benchmarks/pom.xml compile exec:java -Dexec.mainClass=io.scrapinghubio.benchmarks.ClientReadBenchmark
 * </pre>
 *
 * <p>Starts the emulator ({@code io.scrapinghubio.emulator.EmulatorMain}) in a separate JVM with
 * {@code -Xmx6g}, seeded with one job of 1,000,000 items (~1.4 KB each), then measures on the same
 * job: (a) a raw loop where OkHttp downloads the same pages ({@code start=<job>/<offset>&count=1000&meta=_key},
 * gzip as negotiated by OkHttp) and only splits lines; (b) the client's {@code job.items().iter()};
 * (c) peak heap of the client reading the whole job in a child JVM limited to {@code -Xmx256m}.
 * Results go to {@code benchmarks/results/client-read.md}. Options: {@code -Ditems=N} (default 1000000).
 */
public final class ClientReadBenchmark {
  private static final String KEY = "benchmarkbenchmarkbenchmarkbench";
  private static final int PAGE = 1000;

  private ClientReadBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--heap-probe")) {
      heapProbe(args[1], args[2]);
      return;
    }
    int items = Integer.getInteger("items", 1_000_000);
    String cp = BenchSupport.classPath();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process emu = new ProcessBuilder(java, "-Xmx6g", "-XX:+UseParallelGC", "-cp", cp, "io.scrapinghubio.emulator.EmulatorMain",
        "--port", "0", "--apikey", KEY, "--demo-jobs", "1", "--demo-items-per-job", Integer.toString(items))
        .redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(emu.getInputStream(), StandardCharsets.UTF_8));
      String storage = BenchSupport.awaitLine(out, "storage endpoint:");
      String dash = BenchSupport.awaitLine(out, "dash endpoint:");
      System.out.println("emulator up: " + storage);
      ClientConfig config = ClientConfig.builder().apiKey(KEY).storageEndpoint(storage).dashEndpoint(dash)
          .retryPolicy(RetryPolicy.defaults()).readTimeout(Duration.ofSeconds(120)).build();
      String jobKey;
      long total;
      long bytes;
      try (ScrapinghubClient client = ScrapinghubClient.create(config)) {
        JobSummary s = client.getProject(2222222).jobs().list(JobQuery.all()).get(0);
        jobKey = s.key().toString();
        total = client.getJob(jobKey).items().count();
        bytes = client.getJob(jobKey).items().bytes();
      }
      System.out.printf("job %s: %d items, %.1f MB stored%n", jobKey, total, bytes / 1e6);

      // warm-up (JIT, connections, emulator caches): a tenth of the job each way
      raw(storage, jobKey, total / 10);
      clientRead(config, jobKey, total / 10);

      Result raw = raw(storage, jobKey, total);
      System.out.println("raw:    " + raw);
      Result cl = clientRead(config, jobKey, total);
      System.out.println("client: " + cl);
      if (raw.records != total || cl.records != total) {
        throw new IllegalStateException("read " + raw.records + " / " + cl.records + " records, expected " + total);
      }
      String heap = heapChild(java, cp, storage, jobKey);
      System.out.println("heap:   " + heap);
      write(items, jobKey, total, bytes, raw, cl, heap);
    } finally {
      emu.destroy();
      emu.waitFor(10, TimeUnit.SECONDS);
    }
  }

  record Result(long records, long bytes, double seconds) {
    double perSecond() {
      return records / seconds;
    }

    double mbPerSecond() {
      return bytes / 1e6 / seconds;
    }

    @Override
    public String toString() {
      return String.format("%d records, %.1f MB in %.2f s: %.0f items/s, %.1f MB/s", records, bytes / 1e6, seconds,
          perSecond(), mbPerSecond());
    }
  }

  /** (a) OkHttp fetches the same bounded pages one after the other and only splits lines. */
  static Result raw(String storage, String jobKey, long total) throws IOException {
    BenchSupport.RawRead r = BenchSupport.rawDownload(storage, KEY, jobKey, total, PAGE, false);
    return new Result(r.records(), r.bytes(), r.seconds());
  }

  /** (b) The client's iterator over the whole job. */
  static Result clientRead(ClientConfig config, String jobKey, long total) {
    try (ScrapinghubClient client = ScrapinghubClient.create(config)) {
      Job job = client.getJob(jobKey);
      long records = 0;
      long bytes = 0;
      long t0 = System.nanoTime();
      Iterable<JobRecord> it = total == Long.MAX_VALUE ? job.items().iter()
          : job.items().iter(job.items().spec().withCount(total));
      for (JobRecord r : it) {
        records++;
        bytes += r.jsonBytes().length;
      }
      double s = (System.nanoTime() - t0) / 1e9;
      // MB/s counts the bytes as received (with _key, before it is dropped), like the raw loop
      return new Result(records, client.stats().bytes(), s);
    }
  }

  /** (c) A child JVM with -Xmx256m reads the whole job through the client and reports its peak heap. */
  static String heapChild(String java, String cp, String storage, String jobKey) throws Exception {
    Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", cp, ClientReadBenchmark.class.getName(), "--heap-probe", storage, jobKey)
        .redirectErrorStream(true).start();
    String last = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        System.out.println("  [heap child] " + line);
        if (line.startsWith("HEAP ")) {
          last = line.substring(5);
        }
      }
    }
    if (p.waitFor() != 0 || last == null) {
      throw new IllegalStateException("heap probe failed (exit " + p.exitValue() + ")");
    }
    return last;
  }

  static void heapProbe(String storage, String jobKey) {
    ClientConfig config = ClientConfig.builder().apiKey(KEY).storageEndpoint(storage).dashEndpoint(storage + "api/")
        .readTimeout(Duration.ofSeconds(120)).build();
    var mem = ManagementFactory.getMemoryMXBean();
    long maxUsed = 0;
    long n = 0;
    long t0 = System.nanoTime();
    try (ScrapinghubClient client = ScrapinghubClient.create(config)) {
      for (JobRecord r : client.getJob(jobKey).items().iter()) {
        if (++n % 2000 == 0) {
          maxUsed = Math.max(maxUsed, mem.getHeapMemoryUsage().getUsed());
        }
      }
    }
    long poolPeaks = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        poolPeaks += pool.getPeakUsage().getUsed();
      }
    }
    long gcs = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcs += Math.max(0, gc.getCollectionCount());
    }
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf("HEAP %d records in %.1f s under -Xmx256m: peak sampled heap used %.1f MB, sum of heap pool peaks %.1f MB, %d GCs%n",
        n, s, maxUsed / 1e6, poolPeaks / 1e6, gcs);
  }



  private static void write(int items, String jobKey, long total, long bytes, Result raw, Result cl, String heap) throws IOException {
    List<String> l = new ArrayList<>();
    l.add("# Client read benchmark");
    l.add("");
    l.add("Generated by `io.scrapinghubio.benchmarks.ClientReadBenchmark` on " + Instant.now() + " ("
        + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version") + ").");
    l.add("");
    l.add("Command: `mvn -q install -DskipTests && mvn -q -f benchmarks/pom.xml compile exec:java "
        + "-Dexec.mainClass=io.scrapinghubio.benchmarks.ClientReadBenchmark`");
    l.add("");
    l.add(String.format("Job %s on the emulator (separate JVM, -Xmx6g, gzip on): %d items, %.1f MB stored. Pages of %d items.",
        jobKey, total, bytes / 1e6, PAGE));
    l.add("");
    l.add("| Reader | items | MB received | seconds | items/s | MB/s |");
    l.add("|---|---:|---:|---:|---:|---:|");
    l.add(row("(a) raw OkHttp loop, split lines only", raw));
    l.add(row("(b) client `job.items().iter()`", cl));
    l.add("");
    l.add(String.format("Client / raw throughput: **%.2f**.", cl.perSecond() / raw.perSecond()));
    l.add("");
    l.add("(c) Client reading the whole job in a child JVM: " + heap + ".");
    l.add("");
    l.add("Notes: the raw loop fetches pages one at a time; the client prefetches one page ahead while the caller works, "
        + "checks each page (complete body, `_key` sequence) and drops `_key` from each record. Both run on the same "
        + "machine as the emulator (2 shared cores), so the figures are bound by the emulator's CPU as much as by the reader's.");
    Path out = Path.of("benchmarks", "results", "client-read.md");
    if (!Files.isDirectory(Path.of("benchmarks"))) {
      out = Path.of("results", "client-read.md");
    }
    Files.createDirectories(out.getParent());
    Files.write(out, l, StandardCharsets.UTF_8);
    System.out.println("wrote " + new File(out.toString()).getAbsolutePath());
  }

  private static String row(String name, Result r) {
    return String.format("| %s | %d | %.1f | %.2f | %.0f | %.1f |", name, r.records, r.bytes / 1e6, r.seconds, r.perSecond(),
        r.mbPerSecond());
  }
}
