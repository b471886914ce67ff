package io.scrapinghubio.benchmarks;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.beam.write.WriteResult;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.core.RetryPolicy;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.collections.Collection;
import io.scrapinghubio.client.collections.StoreType;
import io.scrapinghubio.client.frontier.FrontierRequest;
import io.scrapinghubio.client.frontier.Frontiers;
import io.scrapinghubio.client.write.BatchWriter;
import io.scrapinghubio.client.write.RawJson;
import io.scrapinghubio.client.write.WriterOptions;
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
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Write throughput of {@code ScrapinghubIO.writeToCollection()} / {@code writeToFrontier()} on the
 * Direct runner, beside the client's own {@code BatchWriter} in a plain loop, against the emulator
 * in a separate JVM.
 *
 * <pre>
 * mvn -q install -DskipTests &amp;&amp; mvn -q -f benchmarks/pom.xml compile exec:java -Dexec.mainClass=io.scrapinghubio.benchmarks.WriteBenchmark
 * </pre>
 *
 * <p>Part 1: 1,000,000 records (~150 B each) into a collection and 1,000,000 URL requests into a
 * frontier (slots by host, 50 hosts), default batching (1000 records / 5000 requests per upload,
 * 4 uploads in flight per DoFn instance). Part 2: the effect of batch size and uploads in flight
 * when the emulator adds 0, 20 and 100 ms to every request (a fresh emulator JVM per latency;
 * {@code -Dgrid=N} records per cell, default 50,000). Results go to {@code benchmarks/results/write.md}.
 * Options: {@code -Drecords=N} (default 1000000).
 */
public final class WriteBenchmark {
  private static final String KEY = "benchmarkbenchmarkbenchmarkbench";
  private static final long PROJECT = 2222222;
  private static int run;

  private WriteBenchmark() {}

  /** {@code uploads}: the sink's {@code write_batches} / {@code delete_batches} metric, -1 for the client loops. */
  record Result(String name, long records, double seconds, long uploads) {
    Result(String name, long records, double seconds) {
      this(name, records, seconds, -1);
    }

    double perSecond() {
      return records / seconds;
    }
  }

  public static void main(String[] args) throws Exception {
    int records = Integer.getInteger("records", 1_000_000);
    int grid = Integer.getInteger("grid", 50_000);
    List<String> lines = new ArrayList<>();
    List<Result> part1 = new ArrayList<>();
    Emulator emu = Emulator.start(0);
    try {
      ClientConfig cfg = config(emu.storage);
      // warm-up: JIT, connections, emulator
      clientCollection(cfg, "warm", 50_000, 1000);
      beamCollection(cfg, "warm_beam", 50_000, 1000, 4);
      int loopRun = run + 1;
      part1.add(clientCollection(cfg, "loop", records, 1000));
      int beamRun = run + 1;
      part1.add(beamCollection(cfg, "beam", records, 1000, 4));
      part1.add(clientFrontier(cfg, "loop", records, 5000));
      part1.add(beamFrontier(cfg, "beam", records, 5000, 4));
      // delete every key again: the loop from the loop's collection, Beam from Beam's
      part1.add(clientDelete(cfg, "loop_" + loopRun, records));
      part1.add(beamDelete(cfg, "beam_" + beamRun, records));
      part1.forEach(r -> System.out.printf("%s: %d in %.1f s = %.0f/s, %d uploads%n", r.name, r.records, r.seconds, r.perSecond(),
          r.uploads));
    } finally {
      emu.stop();
    }
    List<String[]> part2 = new ArrayList<>();
    for (long latency : new long[] {0, 20, 100}) {
      Emulator e = Emulator.start(latency);
      try {
        ClientConfig cfg = config(e.storage);
        beamCollection(cfg, "warm", 5000, 1000, 4);
        for (int batch : new int[] {100, 1000}) {
          Result loop = clientCollection(cfg, "grid_loop", grid, batch);
          part2.add(row(latency, batch, "client loop (1, synchronous)", loop));
          for (int inFlight : new int[] {1, 4, 16}) {
            Result r = beamCollection(cfg, "grid", grid, batch, inFlight);
            part2.add(row(latency, batch, "Beam, " + inFlight + " in flight", r));
          }
        }
      } finally {
        e.stop();
      }
    }
    report(records, grid, part1, part2);
  }

  private static String[] row(long latency, int batch, String what, Result r) {
    System.out.printf("latency %d ms, batch %d, %s: %.0f records/s%n", latency, batch, what, r.perSecond());
    return new String[] {Long.toString(latency), Integer.toString(batch), what, String.format("%.1f", r.seconds),
        String.format("%.0f", r.perSecond())};
  }

  static ClientConfig config(String storage) {
    return ClientConfig.builder().apiKey(KEY).storageEndpoint(storage)
        .retryPolicy(RetryPolicy.defaults()).readTimeout(Duration.ofSeconds(120)).build();
  }

  static String record(long i) {
    return "{\"_key\":\"" + key(i) + "\",\"url\":\"https://site" + (i % 50) + ".example.com/item/" + i
        + "\",\"price\":" + (i % 1000) / 10.0 + ",\"seen\":1700000000000,\"tags\":[\"a\",\"b\"]}";
  }

  static String url(long i) {
    return "https://site" + (i % 50) + ".example.com/item/" + i;
  }

  /** The client's BatchWriter in a plain loop: one thread, uploads block the loop. */
  static Result clientCollection(ClientConfig cfg, String name, int n, int batch) {
    String col = name + "_" + (++run);
    try (ScrapinghubClient c = ScrapinghubClient.create(cfg)) {
      Collection coll = c.getProject(PROJECT).collections().get(StoreType.STORE, col);
      long t0 = System.nanoTime();
      BatchWriter<Object> w = coll.writer(WriterOptions.defaults().withMaxRecords(batch));
      for (long i = 0; i < n; i++) {
        w.write(RawJson.of(record(i)));
      }
      w.close();
      return new Result("collection, client BatchWriter loop", n, (System.nanoTime() - t0) / 1e9);
    }
  }

  static Result clientFrontier(ClientConfig cfg, String name, int n, int batch) {
    try (ScrapinghubClient c = ScrapinghubClient.create(cfg)) {
      Frontiers fs = c.getProject(PROJECT).frontiers().writerOptions(WriterOptions.frontierDefaults().withMaxRecords(batch));
      var f = fs.get(name + "_" + (++run));
      long t0 = System.nanoTime();
      for (long i = 0; i < n; i++) {
        f.get("site" + (i % 50) + ".example.com").queue().add(FrontierRequest.of(url(i)));
      }
      fs.close();
      return new Result("frontier, client slot writers loop", n, (System.nanoTime() - t0) / 1e9);
    }
  }

  /** The client's {@code Collection.delete(keys)} (1000 keys per request) in a plain loop. */
  static Result clientDelete(ClientConfig cfg, String col, int n) {
    try (ScrapinghubClient c = ScrapinghubClient.create(cfg)) {
      Collection coll = c.getProject(PROJECT).collections().get(StoreType.STORE, col);
      long t0 = System.nanoTime();
      List<String> keys = new ArrayList<>(1000);
      for (long i = 0; i < n; i++) {
        keys.add(key(i));
        if (keys.size() == 1000) {
          coll.delete(keys);
          keys.clear();
        }
      }
      if (!keys.isEmpty()) {
        coll.delete(keys);
      }
      return new Result("delete, client Collection.delete loop", n, (System.nanoTime() - t0) / 1e9);
    }
  }

  static Result beamDelete(ClientConfig cfg, String col, int n) {
    Pipeline p = pipeline();
    p.apply(GenerateSequence.from(0).to(n)).apply(MapElements.into(TypeDescriptors.strings()).via(WriteBenchmark::key))
        .apply(ScrapinghubIO.deleteFromCollection().withConnection(ScrapinghubConnection.fromClientConfig(cfg)).withProject(PROJECT).from(StoreType.STORE, col));
    return time(p, "delete, Beam deleteFromCollection (Direct runner)", n, "delete");
  }

  static String key(long i) {
    return String.format("k%09d", i);
  }

  static Pipeline pipeline() {
    DirectOptions o = PipelineOptionsFactory.as(DirectOptions.class);
    o.setTargetParallelism(2);
    o.setEnforceEncodability(false); // measure the sink, not the Direct runner's test checks
    o.setEnforceImmutability(false);
    return Pipeline.create(o);
  }

  static Result beamCollection(ClientConfig cfg, String name, int n, int batch, int inFlight) {
    Pipeline p = pipeline();
    PCollection<String> in = p.apply(GenerateSequence.from(0).to(n))
        .apply(MapElements.into(TypeDescriptors.strings()).via(WriteBenchmark::record));
    WriteResult res = in.apply(ScrapinghubIO.writeToCollection().withConnection(ScrapinghubConnection.fromClientConfig(cfg)).withProject(PROJECT)
        .to(StoreType.STORE, name + "_" + (++run)).withMaxBatchRecords(batch).withMaxUploadsInFlight(inFlight));
    return time(p, "collection, Beam writeToCollection (Direct runner)", n);
  }

  static Result beamFrontier(ClientConfig cfg, String name, int n, int batch, int inFlight) {
    Pipeline p = pipeline();
    p.apply(GenerateSequence.from(0).to(n)).apply(MapElements.into(TypeDescriptors.strings()).via(WriteBenchmark::url))
        .apply(ScrapinghubIO.writeToFrontier().withConnection(ScrapinghubConnection.fromClientConfig(cfg)).withProject(PROJECT).to(name + "_" + (++run))
            .withMaxBatchRecords(batch).withMaxUploadsInFlight(inFlight));
    return time(p, "frontier, Beam writeToFrontier (Direct runner)", n);
  }

  static Result time(Pipeline p, String name, int n) {
    return time(p, name, n, "write");
  }

  static Result time(Pipeline p, String name, int n, String prefix) {
    long t0 = System.nanoTime();
    PipelineResult r = p.run();
    r.waitUntilFinish();
    double s = (System.nanoTime() - t0) / 1e9;
    long written = counter(r, prefix + "_records");
    if (written != n) {
      throw new IllegalStateException(name + ": wrote " + written + " of " + n);
    }
    return new Result(name, n, s, counter(r, prefix + "_batches"));
  }

  private static long counter(PipelineResult r, String metric) {
    long sum = 0;
    for (MetricResult<Long> c : r.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named("ScrapinghubIO", metric)).build()).getCounters()) {
      sum += c.getCommitted(); // the Direct runner's attempted values can miss a concurrent bundle's update
    }
    return sum;
  }

  /** The emulator in its own JVM. */
  static final class Emulator {
    final Process process;
    final String storage;

    private Emulator(Process process, String storage) {
      this.process = process;
      this.storage = storage;
    }

    static Emulator start(long latencyMs) throws Exception {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process emu = new ProcessBuilder(java, "-Xmx5g", "-XX:+UseParallelGC", "-cp", BenchSupport.classPath(),
          "io.scrapinghubio.emulator.EmulatorMain", "--port", "0", "--apikey", KEY, "--no-gzip",
          "--project", Long.toString(PROJECT), // the emulator refuses a project that does not exist
          "--latency-ms", Long.toString(latencyMs)).redirectErrorStream(true).start();
      BufferedReader out = new BufferedReader(new InputStreamReader(emu.getInputStream(), StandardCharsets.UTF_8));
      String storage = BenchSupport.awaitLine(out, "storage endpoint:");
      Thread drain = new Thread(() -> {
        try {
          while (out.readLine() != null) {
            // keep the pipe empty
          }
        } catch (IOException ignored) {
          // emulator stopped
        }
      });
      drain.setDaemon(true);
      drain.start();
      System.out.println("emulator up (latency " + latencyMs + " ms): " + storage);
      return new Emulator(emu, storage);
    }

    void stop() throws InterruptedException {
      process.destroy();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }



  private static void report(int records, int grid, List<Result> part1, List<String[]> part2) throws IOException {
    List<String> l = new ArrayList<>();
    l.add("# Write benchmark");
    l.add("");
    l.add("Generated by `io.scrapinghubio.benchmarks.WriteBenchmark` on " + Instant.now() + " ("
        + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version") + ").");
    l.add("");
    l.add("Command: `mvn -q install -DskipTests && mvn -q -f benchmarks/pom.xml compile exec:java "
        + "-Dexec.mainClass=io.scrapinghubio.benchmarks.WriteBenchmark"
        + (records != 1_000_000 ? " -Drecords=" + records : "") + (grid != 50_000 ? " -Dgrid=" + grid : "") + "`");
    l.add("");
    l.add("Emulator in a separate JVM (`EmulatorMain --no-gzip`), on the same 2 shared cores as the writer. Beam runs on the "
        + "Direct runner (target parallelism 2, encodability/immutability checks off), input generated in the pipeline "
        + "(`GenerateSequence` → JSON text / URL). Collection records ~150 B with `_key`; frontier requests are URLs over 50 hosts "
        + "(one slot per host, the default slot function).");
    l.add("");
    l.add("## 1. " + records + " records, default batching");
    l.add("");
    l.add("| Writer | records | seconds | records/s | uploads (avg records) |");
    l.add("|---|---:|---:|---:|---:|");
    for (Result r : part1) {
      l.add(String.format("| %s | %d | %.1f | %.0f | %s |", r.name, r.records, r.seconds, r.perSecond(),
          r.uploads < 0 ? "—" : r.uploads + " (" + (r.uploads == 0 ? 0 : r.records / r.uploads) + ")"));
    }
    l.add("");
    l.add(String.format("Beam / client loop: collection **%.2f**, frontier **%.2f**, delete **%.2f**.",
        part1.get(1).perSecond() / part1.get(0).perSecond(), part1.get(3).perSecond() / part1.get(2).perSecond(),
        part1.get(5).perSecond() / part1.get(4).perSecond()));
    l.add("");
    l.add("## 2. Batch size and uploads in flight vs. added latency (" + grid + " collection records per cell)");
    l.add("");
    l.add("| added latency (ms) | records per upload | writer | seconds | records/s |");
    l.add("|---:|---:|---|---:|---:|");
    for (String[] r : part2) {
      l.add("| " + String.join(" | ", r) + " |");
    }
    l.add("");
    l.add("In-flight uploads are per DoFn instance (the Direct runner ran 2), so \"1 in flight\" still has up to 2 requests "
        + "outstanding, while the client loop has exactly 1. With latency, throughput is bounded by records per upload × "
        + "uploads outstanding / latency; without it, by CPU (JSON checks, the emulator's parsing on the same cores).");
    l.add("");
    l.add("Frontier: per-bundle batching keeps one partial batch per slot (50 here) and sends them all at every bundle end, "
        + "so on the Direct runner's bundles (~10-15k elements) the sink sends ~200-request uploads where the loop fills "
        + "5000-request batches per slot (see the uploads column). Since the client sets TCP_NODELAY, a small upload costs "
        + "~2-3 ms on this emulator (it waited ~44 ms for a delayed ACK before), so that no longer decides the throughput; "
        + "the frontier and client-loop figures swing by 2x between runs on these shared cores. Uploads per DoFn instance "
        + "matter with added latency, not at 0 ms. The delete rows remove the keys written by the collection rows (1000 per request).");
    Path out = Path.of("benchmarks", "results", "write.md");
    if (!Files.isDirectory(Path.of("benchmarks"))) {
      out = Path.of("results", "write.md");
    }
    Files.createDirectories(out.getParent());
    Files.write(out, l, StandardCharsets.UTF_8);
    System.out.println("wrote " + new File(out.toString()).getAbsolutePath());
  }
}
