package io.scrapinghubio.examples.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.Watch;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The streaming harness itself, on a source that grows the way a followed project does (Beam's
 * {@code Watch}, which the follow read is built on): the job ends by the source's own termination,
 * a task that throws once makes Flink restart the job from its last checkpoint, and the keyed sink
 * ends with every key once.
 */
class EmbeddedFlinkStreamingHarnessTest {
  private static final int ELEMENTS = 400;
  private static final Map<String, AtomicInteger> POLLS = new ConcurrentHashMap<>();

  /** Each poll sees 40 more elements, until all have appeared; then the watch is complete. */
  private static final class Growing extends Watch.Growth.PollFn<String, String> {
    @Override
    public Watch.Growth.PollResult<String> apply(String name, Context c) {
      int polls = POLLS.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
      List<String> seen = new ArrayList<>();
      for (int i = 0; i < Math.min(ELEMENTS, polls * 40); i++) {
        seen.add(String.format("e%04d", i));
      }
      return seen.size() == ELEMENTS
          ? Watch.Growth.PollResult.complete(Instant.now(), seen)
          : Watch.Growth.PollResult.incomplete(Instant.now(), seen);
    }
  }

  @Test
  @Timeout(150) // a hang guard only: what is asserted is what was delivered
  void aTaskThatThrowsOnceRecoversFromItsCheckpointWithEveryKeyOnce() {
    String name = "harness";
    KeyedStore.clear(name);
    POLLS.remove(name);
    Pipeline p = Pipeline.create(EmbeddedFlinkStreaming.options(200));
    p.apply(Create.of(name).withCoder(StringUtf8Coder.of()))
        .apply(Watch.growthOf(new Growing()).withPollInterval(Duration.millis(100)))
        .apply(Values.create())
        .apply(ParDo.of(ThrowOnce.<String>after(name, ELEMENTS / 2)))
        .apply(MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
            .via(e -> KV.of(e, "value of " + e)))
        .apply(KeyedStore.upsertInto(name));
    PipelineResult result = p.run();
    assertEquals(PipelineResult.State.DONE, result.waitUntilFinish(), "ended by the watch's own termination");
    assertTrue(ThrowOnce.thrown(name), "the planned failure happened");
    KeyedStore store = KeyedStore.named(name);
    Map<String, String> expected = new TreeMap<>();
    for (int i = 0; i < ELEMENTS; i++) {
      String k = String.format("e%04d", i);
      expected.put(k, "value of " + k);
    }
    assertEquals(expected, store.state(), "every key, with its value, nothing else");
    System.out.println("harness: " + store.redeliveries() + " re-deliveries into the keyed sink after the restart");
  }
}
