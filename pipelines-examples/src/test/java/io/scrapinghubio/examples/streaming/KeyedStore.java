package io.scrapinghubio.examples.streaming;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * An idempotent keyed sink for tests on an engine embedded in the test's JVM (Direct, Flink
 * {@code [local]}): an upsert into a JVM-wide map, as a keyed upsert into a database would be,
 * that also counts every write per key, so that a re-delivery after a restart is visible even
 * though the final state hides it.
 *
 * <p>A store is named, and lives until {@link #clear}: the pipeline's workers reach it through the
 * name, which is all the serialized DoFn carries.
 */
public final class KeyedStore {
  private static final Map<String, KeyedStore> STORES = new ConcurrentHashMap<>();

  private final Map<String, String> values = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> writes = new ConcurrentHashMap<>();

  private KeyedStore() {}

  /** The store of this name, created empty on first use. */
  public static KeyedStore named(String name) {
    return STORES.computeIfAbsent(name, n -> new KeyedStore());
  }

  /** Forgets the store of this name (tests call it first, so a rerun starts empty). */
  public static void clear(String name) {
    STORES.remove(name);
  }

  void upsert(String key, String value) {
    values.put(key, value);
    writes.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
  }

  /** The final state: key to the last value written. */
  public Map<String, String> state() {
    return new TreeMap<>(values);
  }

  /** How often each key was written (1 everywhere = delivered exactly once). */
  public Map<String, Long> writesPerKey() {
    Map<String, Long> out = new TreeMap<>();
    writes.forEach((k, n) -> out.put(k, n.get()));
    return out;
  }

  /** Writes beyond the first, over all keys: the re-deliveries an at-least-once sink would have kept. */
  public long redeliveries() {
    long extra = 0;
    for (AtomicLong n : writes.values()) {
      extra += n.get() - 1;
    }
    return extra;
  }

  /** The sink: upserts each {@code KV(key, value)} into the store {@code name}. */
  public static PTransform<PCollection<KV<String, String>>, PDone> upsertInto(String storeName) {
    // (Not "name": inside a PTransform that is the transform's own field.)
    return new PTransform<>() {
      @Override
      public PDone expand(PCollection<KV<String, String>> input) {
        input.apply("UpsertInto" + storeName, ParDo.of(new UpsertFn(storeName)));
        return PDone.in(input.getPipeline());
      }
    };
  }

  private static final class UpsertFn extends DoFn<KV<String, String>, Void> {
    private final String name;

    UpsertFn(String name) {
      this.name = name;
    }

    @ProcessElement
    public void process(@Element KV<String, String> kv) {
      named(name).upsert(kv.getKey(), kv.getValue());
    }
  }
}
