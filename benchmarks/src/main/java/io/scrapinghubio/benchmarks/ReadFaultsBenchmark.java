package io.scrapinghubio.benchmarks;

import io.scrapinghubio.benchmarks.ReadBenchmark.Emulator;
import io.scrapinghubio.benchmarks.ReadBenchmark.Result;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.core.RetryPolicy;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What faults cost a read: the same job read from a clean emulator and from one that fails a share
 * of all requests ({@code --fault-rate}: 429, 500, 503, dropped connections and cut bodies in equal
 * parts, {@code Retry-After: 0}), by the client's loop and by the pipeline, side by side in one run;
 * the faulted reads twice: with the default retry policy (a quick first retry after a blip) and
 * with blips on the whole schedule ({@code withBlipBackoff(initialBackoff)}: the policy before the
 * quick retry existed).
 *
 * <pre>
 * mvn -q install -DskipTests &amp;&amp; mvn -q -f benchmarks/pom.xml compile exec:java \
 *     -Dexec.mainClass=io.scrapinghubio.benchmarks.ReadFaultsBenchmark [-Dexec.args="--items 300000 --fault-rate 0.1 --rounds 2"]
 * </pre>
 *
 * <p>Both emulators run in JVMs of their own with the same seed and data. Each reader reads the
 * whole job from the clean one, then from the faulted one with each policy; with {@code --rounds N} the pairs are
 * repeated and each figure is the median. Results: {@code benchmarks/results/read-faults.md}.
 */
public final class ReadFaultsBenchmark {
  private ReadFaultsBenchmark() {}

  /** One reader's clean and faulted runs. */
  record Pair(String reader, List<Result> clean, List<Result> faulted, List<Result> faultedWholeSchedule) {
    double cleanSeconds() {
      return median(clean.stream().mapToDouble(Result::seconds).toArray());
    }

    double faultedSeconds() {
      return median(faulted.stream().mapToDouble(Result::seconds).toArray());
    }

    double wholeScheduleSeconds() {
      return median(faultedWholeSchedule.stream().mapToDouble(Result::seconds).toArray());
    }

    double retries() {
      return median(faulted.stream().mapToDouble(Result::retries).toArray());
    }

    double requests() {
      return median(faulted.stream().mapToDouble(Result::requests).toArray());
    }
  }

  private interface Reader {
    Result read(ClientConfig config, Emulator emu);
  }

  public static void main(String[] args) throws Exception {
    long items = 300_000;
    double rate = 0.1;
    int rounds = 1;
    int page = 1000;
    Path out = new File("benchmarks").isDirectory() ? Path.of("benchmarks", "results") : Path.of("results");
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--items" -> items = Long.parseLong(v);
        case "--fault-rate" -> rate = Double.parseDouble(v);
        case "--rounds" -> rounds = Integer.parseInt(v);
        case "--out" -> out = Path.of(v);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "; expected --items, --fault-rate, --rounds or --out");
      }
      i++;
    }
    final long n = items;
    String cp = BenchSupport.classPath();
    long chunk = 10_000;
    List<String> readers = List.of("client `job.items().iter()`", "pipeline, parallelism 1, prefetch 0",
        "pipeline, parallelism 1, prefetch 3 (default)", "pipeline, parallelism 4, prefetch 3 (default)");
    List<Reader> run = List.of(
        (c, e) -> ReadBenchmark.clientLoop(c, e.job, n, 0),
        (c, e) -> ReadBenchmark.pipeline(c, e.job, 0, 1, 0, page, chunk, n),
        (c, e) -> ReadBenchmark.pipeline(c, e.job, 0, 1, 3, page, chunk, n),
        (c, e) -> ReadBenchmark.pipeline(c, e.job, 0, 4, 3, page, chunk, n));
    List<Pair> pairs = new ArrayList<>();
    for (String r : readers) {
      pairs.add(new Pair(r, new ArrayList<>(), new ArrayList<>(), new ArrayList<>()));
    }
    long t0 = System.nanoTime();
    String load = BenchSupport.loadAverage();
    try (Emulator clean = Emulator.start(cp, items, 0, false);
        Emulator faulted = Emulator.start(cp, items, 0, false, List.of("--fault-rate", Double.toString(rate)))) {
      ClientConfig cleanConfig = clean.config(false);
      ClientConfig faultedConfig = faulted.config(false);
      RetryPolicy defaults = faultedConfig.retryPolicy();
      ClientConfig wholeSchedule = faultedConfig.toBuilder()
          .retryPolicy(defaults.withBlipBackoff(defaults.initialBackoff())).build();
      // warm-up: JIT, connections, the emulators' caches
      ReadBenchmark.clientLoop(cleanConfig, clean.job, Math.min(items, 50_000), 0);
      ReadBenchmark.pipeline(cleanConfig, clean.job, 0, 2, 3, page, chunk, items);
      for (int round = 0; round < rounds; round++) {
        for (int i = 0; i < run.size(); i++) {
          Result c = run.get(i).read(cleanConfig, clean);
          Result w = run.get(i).read(wholeSchedule, faulted);
          Result f = run.get(i).read(faultedConfig, faulted);
          System.out.printf(Locale.ROOT, "%s: clean %.2f s, faulted %.2f s (%.1fx; %.2f s, %.1fx with blips on the whole schedule), %d retries%n",
              readers.get(i), c.seconds(), f.seconds(), f.seconds() / c.seconds(), w.seconds(), w.seconds() / c.seconds(), f.retries());
          pairs.get(i).clean().add(c);
          pairs.get(i).faulted().add(f);
          pairs.get(i).faultedWholeSchedule().add(w);
        }
      }
    }
    write(out, items, rate, rounds, pairs, load, (System.nanoTime() - t0) / 60e9);
  }

  private static void write(Path out, long items, double rate, int rounds, List<Pair> pairs, String load, double minutes)
      throws Exception {
    Files.createDirectories(out);
    List<String> l = new ArrayList<>();
    l.add("# Read benchmark under faults");
    l.add("");
    l.add(String.format(Locale.ROOT, "Generated by `io.scrapinghubio.benchmarks.ReadFaultsBenchmark` on %s (%d cores shared with "
        + "both emulators, load average at start %s, Java %s); %d round(s), medians; the whole run took %.1f min.",
        Instant.now(), Runtime.getRuntime().availableProcessors(), load, System.getProperty("java.version"), rounds, minutes));
    l.add("");
    l.add(String.format(Locale.ROOT, "Command: `mvn -q install -DskipTests && mvn -q -f benchmarks/pom.xml compile exec:java "
        + "-Dexec.mainClass=io.scrapinghubio.benchmarks.ReadFaultsBenchmark -Dexec.args=\"--items %d --fault-rate %s --rounds %d\"`",
        items, rate, rounds));
    l.add("");
    l.add(String.format(Locale.ROOT, "One job of %,d demo items (~1.4 KB each), pages of 1,000, no gzip, Direct runner. The faulted "
        + "emulator (`--fault-rate %s`) fails %.0f%% of all requests, listing and sizing included: 429, 500, 503, a dropped "
        + "connection and a body cut after 4 KiB in equal parts, `Retry-After: 0`. Faulted reads run twice: with the default "
        + "retry policy (first backoff 1 s ±50%%, ×1.5; 100 ms before the first retry after a blip: a dropped connection, a cut "
        + "body, a 500/502/504) and with blips on the whole schedule (`withBlipBackoff(initialBackoff)`, the policy before). "
        + "A connection dropped while the request was on a pooled connection is repeated at once on a new one (a reconnect, "
        + "not a retry). A 429 or 503 waits what its `Retry-After` says (here 0: the blip backoff, 100 ms), within the "
        + "policy's bounds; one without `Retry-After` waits the whole schedule.", items, rate, rate * 100));
    l.add("");
    l.add("| Reader | clean s | faulted s, blips on the whole schedule (before) | faulted / clean, before | faulted s, "
        + "quick retry after a blip (default) | faulted / clean, default | retries | requests (faulted) |");
    l.add("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (Pair p : pairs) {
      l.add(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.1f× | %.2f | %.1f× | %.0f | %.0f |", p.reader(), p.cleanSeconds(),
          p.wholeScheduleSeconds(), p.wholeScheduleSeconds() / p.cleanSeconds(), p.faultedSeconds(),
          p.faultedSeconds() / p.cleanSeconds(), p.retries(), p.requests()));
    }
    l.add("");
    Path md = out.resolve("read-faults.md");
    Files.write(md, l, StandardCharsets.UTF_8);
    System.out.println("wrote " + md.toAbsolutePath());
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
