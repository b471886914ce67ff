package io.scrapinghubio.examples;

import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;

/** A finished pipeline's counters, summed over its steps, for the examples' summary lines. */
final class MetricTotals {
  private MetricTotals() {}

  /** The counter {@code name} in any namespace, summed over every step that has it. */
  static long counter(MetricQueryResults m, String name) {
    return counter(m, null, name);
  }

  /**
   * The counter {@code name} of {@code namespace} (null: any), summed over every step that has it:
   * committed values where the runner has them (Flink, Dataflow), attempted ones otherwise (the
   * Direct runner's are committed too; embedded Flink may not offer committed values at all).
   */
  static long counter(MetricQueryResults m, String namespace, String name) {
    long total = 0;
    for (MetricResult<Long> c : m.getCounters()) {
      if ((namespace == null || c.getName().getNamespace().equals(namespace)) && c.getName().getName().equals(name)) {
        Long v;
        try {
          v = c.getCommitted();
        } catch (UnsupportedOperationException e) {
          v = null;
        }
        total += v == null ? c.getAttempted() : v;
      }
    }
    return total;
  }
}
