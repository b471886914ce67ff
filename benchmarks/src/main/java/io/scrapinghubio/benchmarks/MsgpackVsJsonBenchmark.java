package io.scrapinghubio.benchmarks;

import io.scrapinghubio.client.ClientConfig;
import io.scrapinghubio.client.JobKey;
import io.scrapinghubio.client.ReadFormat;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.read.JobDataType;
import io.scrapinghubio.client.read.PagedReader;
import io.scrapinghubio.client.read.ReadSpec;
import io.scrapinghubio.client.write.BatchWriter;
import io.scrapinghubio.client.write.JobWriters;
import io.scrapinghubio.client.write.WriterOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the same N items as JSON lines and as msgpack, alternating rounds, from a storage server
 * running in another JVM, and writes {@code results/msgpack-vs-json.md}.
 *
 * <pre>
 * java ... MsgpackVsJsonBenchmark --storage http://127.0.0.1:PORT/ [--items 1000000] [--rounds 3]
 *     [--seed true] [--out benchmarks/results/msgpack-vs-json.md] [--server "description"]
 * </pre>
 */
public final class MsgpackVsJsonBenchmark {
  public static void main(String[] args) throws Exception {
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    String storage = a.getOrDefault("storage", "http://127.0.0.1:8080/");
    int items = Integer.parseInt(a.getOrDefault("items", "1000000"));
    int rounds = Integer.parseInt(a.getOrDefault("rounds", "3"));
    JobKey job = JobKey.parse(a.getOrDefault("job", "2222222/1/1"));
    Path out = Path.of(a.getOrDefault("out", "benchmarks/results/msgpack-vs-json.md"));
    ClientConfig.Builder base = ClientConfig.builder().apiKey(a.getOrDefault("apikey", "f".repeat(32))).storageEndpoint(storage);

    try (ScrapinghubClient json = ScrapinghubClient.create(base.readFormat(ReadFormat.JSON_LINES).build());
        ScrapinghubClient mp = ScrapinghubClient.create(base.readFormat(ReadFormat.MSGPACK).build())) {
      if (Boolean.parseBoolean(a.getOrDefault("seed", "true"))) {
        long t0 = System.nanoTime();
        BatchWriter<Object> w = JobWriters.of(json, job, JobDataType.ITEMS, WriterOptions.defaults());
        for (int i = 0; i < items; i++) {
          Map<String, Object> item = new LinkedHashMap<>();
          item.put("id", i);
          item.put("url", "https://example.com/product/" + i);
          item.put("title", "Product number " + i + " – déjà vu");
          item.put("price", i * 0.25);
          item.put("tags", List.of("a", "b", "c"));
          item.put("in_stock", i % 3 == 0);
          w.write(item);
        }
        var r = w.close();
        System.out.printf("seeded %d items (%d batches) in %.1f s%n", r.records(), r.batches(), (System.nanoTime() - t0) / 1e9);
      }
      read(json, job, items); // warm-up both paths
      read(mp, job, items);
      List<double[]> rows = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        double j = read(json, job, items);
        double m = read(mp, job, items);
        rows.add(new double[] {round, j, m});
        System.out.printf("round %d: json %.2f s, msgpack %.2f s%n", round, j, m);
      }
      StringBuilder md = new StringBuilder();
      md.append("# msgpack vs JSON lines: reading ").append(items).append(" items\n\n");
      md.append("Server: ").append(a.getOrDefault("server", storage)).append(" (separate JVM, same host).  \n");
      md.append("Client: `ScrapinghubClient`, `PagedReader` pages of 1000 with one page prefetched, gzip on.  \n");
      md.append("Cores: ").append(Runtime.getRuntime().availableProcessors()).append(", Java ").append(System.getProperty("java.version")).append(".\n\n");
      md.append("| round | JSON lines (s) | msgpack (s) | JSON items/s | msgpack items/s |\n|---|---|---|---|---|\n");
      double sj = 0;
      double sm = 0;
      for (double[] r : rows) {
        md.append(String.format("| %d | %.2f | %.2f | %.0f | %.0f |%n", (int) r[0], r[1], r[2], items / r[1], items / r[2]));
        sj += r[1];
        sm += r[2];
      }
      md.append(String.format("%nMean: JSON lines %.2f s, msgpack %.2f s: **%s is faster by %.0f%%** here.%n", sj / rows.size(), sm / rows.size(),
          sj <= sm ? "JSON lines" : "msgpack", Math.abs(sj - sm) / Math.max(sj, sm) * 100));
      md.append("\nBoth paths hand out the same compact JSON per record (`JobRecord`); msgpack is decoded token by token "
          + "and re-encoded to JSON, JSON lines are split on bytes without a parse.\n");
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, md.toString());
      System.out.print(md);
    }
  }

  private static double read(ScrapinghubClient c, JobKey job, int items) {
    long t0 = System.nanoTime();
    long n = 0;
    long bytes = 0;
    try (PagedReader r = new PagedReader(c.transport(), ReadSpec.all(job, JobDataType.ITEMS), c.ioExecutor(), null)) {
      while (r.hasNext()) {
        bytes += r.next().jsonBytes().length;
        n++;
      }
    }
    if (n != items) {
      throw new IllegalStateException("read " + n + " items, expected " + items);
    }
    return (System.nanoTime() - t0) / 1e9;
  }
}
