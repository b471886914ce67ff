package io.scrapinghubio.cli.run;

import io.scrapinghubio.beam.metrics.ClientMetrics;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** The connector's Beam counters of a finished pipeline, for the command's summary. */
public final class PipelineCounters {
  private final MetricQueryResults metrics;

  private PipelineCounters(MetricQueryResults metrics) {
    this.metrics = metrics;
  }

  /** No counters: every {@link #get} is 0, for a run whose runner could not give them. */
  public static PipelineCounters none() {
    return new PipelineCounters(null);
  }

  public static PipelineCounters of(PipelineResult result) {
    return new PipelineCounters(result.metrics().queryMetrics(MetricsFilter.builder()
        .addNameFilter(MetricNameFilter.inNamespace(ClientMetrics.NAMESPACE)).build()));
  }

  /** The counter's total over every step that reports it; committed values where the runner has them. */
  public long get(String name) {
    long total = 0;
    if (metrics == null) {
      return 0;
    }
    for (MetricResult<Long> c : metrics.getCounters()) {
      if (c.getName().getName().equals(name)) {
        Long v;
        try {
          v = c.getCommitted();
        } catch (UnsupportedOperationException e) {
          v = c.getAttempted();
        }
        total += v == null ? c.getAttempted() : v;
      }
    }
    return total;
  }
}
