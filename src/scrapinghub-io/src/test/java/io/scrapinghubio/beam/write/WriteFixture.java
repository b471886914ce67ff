package io.scrapinghubio.beam.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.beam.BadRecordsSink;
import io.scrapinghubio.beam.failure.ScrapinghubFailure;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.core.RetryPolicy;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.collections.CollectionRecord;
import io.scrapinghubio.client.collections.StoreType;
import io.scrapinghubio.client.frontier.QueueBatch;
import io.scrapinghubio.client.frontier.QueuedRequest;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler;

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

  // ---- the error handler's bad records (the Direct and embedded Flink runners run in the test's JVM) ----

  /** An error handler whose bad records {@link #collected} returns; close it before running. */
  static BadRecordErrorHandler<?> handler(Pipeline p, String sink) {
    return BadRecordsSink.register(p, sink);
  }

  /**
   * The bad records routed to {@code sink}, read back into what the write knew of each failure:
   * every part of the description is read back (ScrapinghubFailure), the record is checked to decode to the JSON shown,
   * and no part holds the API key.
   */
  static List<FailedRecord> collected(String sink) {
    List<FailedRecord> out = new ArrayList<>();
    for (BadRecord b : BadRecordsSink.get(sink)) {
      String d = b.getFailure().getDescription();
      ScrapinghubFailure f = ScrapinghubFailure.of(b).orElseThrow(() -> new AssertionError("not a write's description: " + d));
      assertEquals(ScrapinghubFailure.Subject.DESTINATION, f.subjectType(), d);
      String json = b.getRecord().getHumanReadableJsonRecord();
      try {
        assertEquals(json, StringUtf8Coder.of().decode(new ByteArrayInputStream(b.getRecord().getEncodedRecord())),
            "the record, decodable");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      assertEquals(StringUtf8Coder.of().toString(), b.getRecord().getCoder());
      assertTrue(b.getFailure().getException().contains(d), b.getFailure().getException());
      for (String part : List.of(b.toString(), b.getFailure().getException(), b.getFailure().getExceptionStacktrace(), d, json)) {
        assertFalse(part.contains(KEY), "the API key in a bad record");
      }
      out.add(new FailedRecord(json, ScrapinghubFailure.Kind.valueOf(f.kind().name()), f.reason(), f.subject(), "", f.status().orElse(-1)));
    }
    return out;
  }
}
