package io.scrapinghubio.beam.jobs;

import io.scrapinghubio.beam.metrics.ClientMetrics;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.ScrapinghubClient;
import java.io.Serializable;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.util.BackOff;
import org.apache.beam.sdk.util.FluentBackoff;
import org.joda.time.Duration;

/** A DoFn's client: created in {@code @Setup}, closed in {@code @Teardown}, its traffic published as Beam metrics. */
final class ClientHolder implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ClientConfig config;
  private transient ScrapinghubClient client;
  private transient ClientMetrics metrics;

  ClientHolder(ClientConfig config) {
    this.config = config;
  }

  ClientConfig config() {
    return config;
  }

  void open() {
    metrics = new ClientMetrics("jobs");
    client = ScrapinghubClient.create(config, metrics);
  }

  ScrapinghubClient client() {
    return client;
  }

  /** Publishes the client's traffic counters (call on the DoFn thread). */
  void publish() {
    if (client != null) {
      metrics.publish(client.stats());
    }
  }

  void close() {
    if (client != null) {
      client.close();
      client = null;
    }
  }

  /** Backoff for calls the transport does not retry itself (run.json), from the same retry policy. */
  BackOff backoff() {
    return FluentBackoff.DEFAULT
        .withInitialBackoff(Duration.millis(config.retryPolicy().initialBackoff().toMillis()))
        .withMaxBackoff(Duration.millis(config.retryPolicy().maxBackoff().toMillis()))
        .withMaxCumulativeBackoff(Duration.millis(config.retryPolicy().maxTotalTime().toMillis()))
        .withMaxRetries(config.retryPolicy().maxAttempts() - 1)
        .backoff();
  }

  static Counter counter(String name) {
    return Metrics.counter(ClientMetrics.NAMESPACE, name);
  }
}
