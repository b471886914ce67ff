package io.scrapinghubio.examples.streaming;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * A pass-through step that fails its task exactly once, when it has seen {@code after} elements,
 * so that the engine restarts the job from its last checkpoint (Flink: the restart strategy that
 * {@code numberOfExecutionRetries} / {@code executionRetryDelay} set). The flag is JVM-wide and
 * named, so the restarted task, in the same JVM on an embedded cluster, does not throw again.
 */
public final class ThrowOnce<T> extends DoFn<T, T> {
  private static final Map<String, AtomicLong> SEEN = new ConcurrentHashMap<>();
  private static final Map<String, AtomicBoolean> THROWN = new ConcurrentHashMap<>();

  private final String name;
  private final long after;

  private ThrowOnce(String name, long after) {
    this.name = name;
    this.after = after;
  }

  /** Throws once, on the element after the first {@code after} ones. */
  public static <T> ThrowOnce<T> after(String name, long after) {
    reset(name);
    return new ThrowOnce<>(name, after);
  }

  static void reset(String name) {
    SEEN.put(name, new AtomicLong());
    THROWN.put(name, new AtomicBoolean());
  }

  /** Whether the failure happened. */
  public static boolean thrown(String name) {
    AtomicBoolean b = THROWN.get(name);
    return b != null && b.get();
  }

  @ProcessElement
  public void process(@Element T element, OutputReceiver<T> out) {
    if (SEEN.get(name).incrementAndGet() > after && THROWN.get(name).compareAndSet(false, true)) {
      throw new IllegalStateException("ThrowOnce(" + name + "): the planned failure after " + after + " elements");
    }
    out.output(element);
  }
}
