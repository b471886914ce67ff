package io.scrapinghubio.benchmarks;

import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.core.JobKey;
import io.scrapinghubio.client.JobQuery;
import io.scrapinghubio.client.core.ReadFormat;
import io.scrapinghubio.client.core.RetryPolicy;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.metrics.RequestListener;
import io.scrapinghubio.client.read.JobDataType;
import io.scrapinghubio.client.read.PagedReader;
import io.scrapinghubio.client.read.ReadSpec;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the same job as JSON lines and as msgpack with the client, alternating rounds, against the
 * emulator started in a separate JVM: once with {@code --no-gzip} and once with gzip.
 *
 * <pre>
 * mvn -B -o -q install -DskipTests &amp;&amp; mvn -B -o -q -f benchmarks/pom.xml compile exec:java \
 *     -Dexec.mainClass=io.scrapinghubio.benchmarks.MsgpackVsJsonBenchmark [-Ditems=200000] [-Drounds=3]
 * </pre>
 *
 * <p>Each emulator ({@code io.scrapinghubio.emulator.EmulatorMain}, {@code -Xmx4g}) is seeded with
 * one demo job of {@code items} items (~1.4 KB each). Per server mode: one warm-up read in each
 * format, then {@code rounds} rounds of JSON lines then msgpack. Every read must return every item.
 * Results go to {@code benchmarks/results/msgpack-vs-json.md}.
 */
public final class MsgpackVsJsonBenchmark {
  private static final String KEY = "benchmarkbenchmarkbenchmarkbench";

  private MsgpackVsJsonBenchmark() {}

  record Read(double seconds, long wireBytes) {}

  record Mode(String name, long items, long storedBytes, List<Read[]> rounds) {
    double mean(int format) {
      return rounds.stream().mapToDouble(r -> r[format].seconds()).average().orElse(Double.NaN);
    }
  }

  public static void main(String[] args) throws Exception {
    int items = Integer.getInteger("items", 200_000);
    int rounds = Integer.getInteger("rounds", 3);
    Path out = Path.of("benchmarks", "results", "msgpack-vs-json.md");
    if (!Files.isDirectory(Path.of("benchmarks"))) {
      out = Path.of("results", "msgpack-vs-json.md"); // run from benchmarks/
    }
    List<Mode> modes = new ArrayList<>();
    modes.add(run(false, items, rounds));
    modes.add(run(true, items, rounds));
    String md = report(modes, items, rounds);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, md);
    System.out.print(md);
  }

  private static Mode run(boolean gzip, int items, int rounds) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx4g", "-XX:+UseParallelGC", "-cp", BenchSupport.classPath(),
        "io.scrapinghubio.emulator.EmulatorMain", "--port", "0", "--apikey", KEY, "--demo-jobs", "1",
        "--demo-items-per-job", Integer.toString(items)));
    if (!gzip) {
      cmd.add("--no-gzip");
    }
    String name = gzip ? "gzip" : "no gzip (--no-gzip)";
    System.out.println("== emulator, " + name);
    Process emu = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      BufferedReader lines = new BufferedReader(new InputStreamReader(emu.getInputStream(), StandardCharsets.UTF_8));
      String storage = BenchSupport.awaitLine(lines, "storage endpoint:");
      String dash = BenchSupport.awaitLine(lines, "dash endpoint:");
      Thread drain = new Thread(() -> lines.lines().forEach(l -> { }), "emulator-output");
      drain.setDaemon(true);
      drain.start();
      ClientConfig.Builder base = ClientConfig.builder().apiKey(KEY).storageEndpoint(storage).dashEndpoint(dash)
          .retryPolicy(RetryPolicy.defaults()).readTimeout(Duration.ofSeconds(120));
      AtomicLong wire = new AtomicLong();
      RequestListener counter = new RequestListener() {
        @Override
        public void onBodyRead(String resource, long bytes) {
          wire.addAndGet(bytes);
        }
      };
      try (ScrapinghubClient json = ScrapinghubClient.create(base.readFormat(ReadFormat.JSON_LINES).build(), counter);
          ScrapinghubClient mp = ScrapinghubClient.create(base.readFormat(ReadFormat.MSGPACK).build(), counter)) {
        JobKey job = json.getProject(2222222).jobs().list(JobQuery.all()).get(0).key();
        long total = json.getJob(job.toString()).items().count();
        long stored = json.getJob(job.toString()).items().bytes();
        System.out.printf("job %s: %d items, %.1f MB stored%n", job, total, stored / 1e6);
        read(json, job, total, wire); // warm-up: JIT, connections, emulator caches
        read(mp, job, total, wire);
        List<Read[]> rs = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
          Read j = read(json, job, total, wire);
          Read m = read(mp, job, total, wire);
          rs.add(new Read[] {j, m});
          System.out.printf("round %d: JSON lines %.2f s (%.1f MB), msgpack %.2f s (%.1f MB)%n", round, j.seconds(),
              j.wireBytes() / 1e6, m.seconds(), m.wireBytes() / 1e6);
        }
        return new Mode(name, total, stored, rs);
      }
    } finally {
      emu.destroy();
      emu.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static Read read(ScrapinghubClient c, JobKey job, long items, AtomicLong wire) {
    long w0 = wire.get();
    long t0 = System.nanoTime();
    long n = 0;
    long bytes = 0;
    try (PagedReader r = c.getJob(job.toString()).items().reader(ReadSpec.all(job, JobDataType.ITEMS))) {
      while (r.hasNext()) {
        bytes += r.next().jsonBytes().length;
        n++;
      }
    }
    double s = (System.nanoTime() - t0) / 1e9;
    if (n != items || bytes == 0) {
      throw new IllegalStateException("read " + n + " items, expected " + items);
    }
    return new Read(s, wire.get() - w0);
  }

  private static String report(List<Mode> modes, int items, int rounds) {
    StringBuilder md = new StringBuilder();
    md.append("# msgpack vs JSON lines: reading ").append(items).append(" items with the client\n\n");
    md.append("Generated by `io.scrapinghubio.benchmarks.MsgpackVsJsonBenchmark` on ").append(Instant.now())
        .append(" (").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
        .append(System.getProperty("java.version")).append(").\n\n");
    md.append("Command (from the repository root):\n\n    mvn -B -o -q install -DskipTests && mvn -B -o -q -f benchmarks/pom.xml compile exec:java "
        + "-Dexec.mainClass=io.scrapinghubio.benchmarks.MsgpackVsJsonBenchmark\n\n");
    md.append("Server: the emulator (`EmulatorMain`, separate JVM, `-Xmx4g`, same host) with one demo job of ")
        .append(items).append(" items (~1.4 KB each), started once with `--no-gzip` and once with gzip. ")
        .append("Client: `job.items().reader(...)`, pages of 1000 with one page prefetched, `ReadFormat.JSON_LINES` vs ")
        .append("`ReadFormat.MSGPACK`. One warm-up read per format, then ").append(rounds)
        .append(" rounds of JSON lines then msgpack; every read returned every item. MB = response bodies as handed to the client (after OkHttp's transparent gunzip).\n\n");
    for (Mode m : modes) {
      md.append("## Emulator ").append(m.name()).append("\n\n");
      md.append("| round | JSON lines (s) | msgpack (s) | JSON items/s | msgpack items/s | JSON body MB | msgpack body MB |\n")
          .append("|---:|---:|---:|---:|---:|---:|---:|\n");
      int i = 1;
      for (Read[] r : m.rounds()) {
        md.append(String.format("| %d | %.2f | %.2f | %.0f | %.0f | %.1f | %.1f |%n", i++, r[0].seconds(), r[1].seconds(),
            m.items() / r[0].seconds(), m.items() / r[1].seconds(), r[0].wireBytes() / 1e6, r[1].wireBytes() / 1e6));
      }
      double j = m.mean(0);
      double p = m.mean(1);
      md.append(String.format("%nMean: JSON lines %.2f s, msgpack %.2f s; msgpack time / JSON time = **%.2f** (%s is faster here).%n%n",
          j, p, p / j, p < j ? "msgpack" : "JSON lines"));
    }
    md.append("Both paths hand out the same compact JSON per record (`JobRecord`): JSON lines are split on bytes without a ")
        .append("full parse, while msgpack is decoded token by token and re-encoded to JSON, so msgpack costs the client more ")
        .append("CPU per record; what it can save is bytes on the wire. Client and emulator share the same 2 cores, so the ")
        .append("figures include the emulator's own encoding cost for each format.\n");
    return md.toString();
  }


}
