package io.scrapinghubio.beam.write;

import io.scrapinghubio.beam.failure.FailedRecord;

import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.core.RetryPolicy;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.collections.CollectionRecord;
import io.scrapinghubio.client.collections.StoreType;
import io.scrapinghubio.client.frontier.QueueBatch;
import io.scrapinghubio.client.frontier.QueuedRequest;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/** Shared helpers of the write tests: client settings, records, read-back, failure collection, metrics. */
final class WriteFixture {
  static final String KEY = "0123456789abcdef0123456789abcdef";

  private WriteFixture() {}

  /** {@link #config} as the transforms take it. */
  static ScrapinghubConnection connection(ScrapyCloudEmulator emu) {
    return ScrapinghubConnection.fromClientConfig(config(emu));
  }

  /** Fast retries so fault tests run in seconds; generous attempts so injected faults never win. */
  static ClientConfig config(ScrapyCloudEmulator emu) {
    return ClientConfig.builder().apiKey(KEY)
        .storageEndpoint(emu.storageUrl()).dashEndpoint(emu.dashUrl())
        .retryPolicy(RetryPolicy.of(60, Duration.ofMillis(1), Duration.ofMillis(20), Duration.ofMinutes(3)))
        .build();
  }

  static Pipeline direct() {
    DirectOptions o = PipelineOptionsFactory.as(DirectOptions.class);
    o.setTargetParallelism(4);
    return Pipeline.create(o);
  }

  /** Record {@code i} as JSON text with {@code _key}. */
  static String record(int i) {
    return "{\"_key\":\"" + key(i) + "\",\"n\":" + i + ",\"url\":\"https://site" + (i % 7) + ".example.com/p/" + i
        + "\",\"tags\":[\"t" + (i % 3) + "\"],\"name\":\"caf\u00e9 " + i + "\"}";
  }

  static String key(int i) {
    return String.format("k%07d", i);
  }

  static List<String> records(int from, int to) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(record(i));
    }
    return out;
  }

  /** The collection read back with the client's scan: key → record JSON (with {@code _key}). */
  static Map<String, String> readCollection(ScrapyCloudEmulator emu, long project, StoreType type, String name) {
    Map<String, String> out = new HashMap<>();
    try (ScrapinghubClient c = ScrapinghubClient.create(config(emu))) {
      for (CollectionRecord r : c.getProject(project).collections().get(type, name).iter()) {
        if (out.put(r.key(), r.json()) != null) {
          throw new AssertionError("key read twice: " + r.key());
        }
      }
    }
    return out;
  }

  /** Every queued request of every slot of a frontier, read back with the client: slot → fps in queue order. */
  static Map<String, List<QueuedRequest>> readFrontier(ScrapyCloudEmulator emu, long project, String frontier) {
    Map<String, List<QueuedRequest>> out = new HashMap<>();
    try (ScrapinghubClient c = ScrapinghubClient.create(config(emu))) {
      var f = c.getProject(project).frontiers().get(frontier);
      for (String slot : f.list()) {
        List<QueuedRequest> rs = new ArrayList<>();
        for (QueueBatch b : f.get(slot).queue().list(Integer.MAX_VALUE)) {
          rs.addAll(b.requests());
        }
        out.put(slot, rs);
      }
    }
    return out;
  }

  /**
   * A counter's committed value where the runner has one (Direct), else its attempted value
   * (Flink). The Direct runner's attempted values can miss a concurrent bundle's update now and
   * then; its committed values are merged atomically.
   */
  static long counter(PipelineResult r, String name) {
    long total = 0;
    for (MetricResult<Long> c : r.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.named("ScrapinghubIO", name)).build()).getCounters()) {
      Long v;
      try {
        v = c.getCommitted();
      } catch (UnsupportedOperationException e) {
        v = c.getAttempted();
      }
      total += v;
    }
    return total;
  }

  // ---- in-memory sink (the Direct and embedded Flink runners run in the test's JVM) ----

  private static final Map<String, List<FailedRecord>> SINKS = new ConcurrentHashMap<>();

  static void collect(PCollection<FailedRecord> failed, String sink) {
    SINKS.put(sink, new CopyOnWriteArrayList<>());
    failed.apply("Collect" + sink, ParDo.of(new CollectFn(sink)));
  }

  static List<FailedRecord> collected(String sink) {
    return SINKS.get(sink);
  }

  private static final class CollectFn extends DoFn<FailedRecord, Void> {
    private final String sink;

    CollectFn(String sink) {
      this.sink = sink;
    }

    @ProcessElement
    public void process(@Element FailedRecord f) {
      SINKS.get(sink).add(f);
    }
  }
}
