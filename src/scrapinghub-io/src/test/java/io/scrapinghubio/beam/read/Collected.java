package io.scrapinghubio.beam.read;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Collects a pipeline's output into memory (the Direct and embedded Flink runners run in the test's
 * JVM), so tests can compare large outputs exactly — as a multiset, duplicates included — without
 * PAssert, whose grouping costs quadratic time on the Direct runner beyond a few thousand elements.
 * A test helper of the read, follow and rows tests.
 */
public final class Collected {
  private static final Map<String, Map<Object, AtomicLong>> SINKS = new ConcurrentHashMap<>();

  private Collected() {}

  /** A sink named {@code name}, emptied now; read it with {@link #counts(String)} after the run. */
  public static <T> PTransform<PCollection<T>, PDone> into(String sinkName) {
    SINKS.put(sinkName, new ConcurrentHashMap<>());
    return new PTransform<>() {
      @Override
      public PDone expand(PCollection<T> input) {
        // Not "name": inside a PTransform that is the transform's own (null) name field.
        input.apply(ParDo.of(new CollectFn<T>(sinkName)));
        return PDone.in(input.getPipeline());
      }
    };
  }

  /** How many times each element arrived. */
  public static Map<Object, AtomicLong> counts(String name) {
    return SINKS.get(name);
  }

  /** Asserts that the sink holds exactly {@code expected}: each element once, nothing else. */
  public static void assertExactlyOnce(String name, List<?> expected) {
    Map<Object, AtomicLong> got = SINKS.get(name);
    List<String> problems = new CopyOnWriteArrayList<>();
    for (Object e : expected) {
      AtomicLong n = got.get(e);
      if (n == null) {
        problems.add("missing " + e);
      } else if (n.get() != 1) {
        problems.add(n.get() + " times: " + e);
      }
    }
    if (got.size() != new java.util.HashSet<>(expected).size()) {
      got.keySet().stream().filter(k -> !expected.contains(k)).limit(5).forEach(k -> problems.add("unexpected " + k));
    }
    if (expected.size() != new java.util.HashSet<>(expected).size()) {
      problems.add("expected list has duplicates");
    }
    if (!problems.isEmpty()) {
      throw new AssertionError(problems.size() + " problems in '" + name + "' (of " + expected.size()
          + " expected, " + got.size() + " distinct received), e.g. " + problems.subList(0, Math.min(5, problems.size())));
    }
  }

  private static final class CollectFn<T> extends DoFn<T, Void> {
    private final String name;

    CollectFn(String name) {
      this.name = name;
    }

    @ProcessElement
    public void process(@Element T element) {
      Map<Object, AtomicLong> sink = SINKS.get(name);
      if (sink == null || element == null) {
        throw new IllegalStateException("sink '" + name + "' " + (sink == null ? "missing" : "got a null element"));
      }
      sink.computeIfAbsent(element, k -> new AtomicLong()).incrementAndGet();
    }
  }
}
