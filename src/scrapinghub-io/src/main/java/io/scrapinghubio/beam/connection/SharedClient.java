package io.scrapinghubio.beam.connection;

import io.scrapinghubio.beam.metrics.ClientMetrics;
import io.scrapinghubio.beam.metrics.ProgressLogger;
import io.scrapinghubio.client.ScrapinghubClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.beam.sdk.annotations.Internal;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A DoFn's hold on the one {@link ScrapinghubClient} its worker JVM keeps per connection, like
 * JdbcIO's one pool per data source configuration: {@link #acquire} in {@code @Setup},
 * {@link #release()} in {@code @Teardown}; the client is created for the first holder and closed
 * when the last one lets go. Runners create many instances of a DoFn per JVM (one per thread or
 * bundle processor), and each used to open its own client and fetch threads.
 *
 * <p><b>Why the key includes how traffic is reported.</b> A client counts its traffic in one
 * {@code ClientStats}, which cannot tell its users apart. Beam metrics ({@code read_requests},
 * {@code write_retries_429}...) and the per-transform progress line are computed from those counts,
 * so a client is shared by the holders that report under the same metric prefix and progress line:
 * every instance of a transform, and transforms of the same family without a progress line (all
 * job transforms, {@code jobs_*}). Publishing is then done once per shared client, so nothing is
 * counted twice.
 *
 * <p>Internal to ScrapinghubIO's transforms; public only because they live in several packages.
 */
@Internal
public final class SharedClient {
  private static final Map<Key, Entry> CLIENTS = new HashMap<>();

  /** What makes two holders share a client: the connection and how its traffic is reported. */
  private record Key(ScrapinghubConnection connection, String metricsPrefix, @Nullable String progressName) {}

  /** One client and its users in this JVM. */
  private static final class Entry {
    final Key key;
    final ScrapinghubClient client;
    final ClientMetrics metrics;
    int users;

    Entry(Key key, @Nullable Duration progressInterval) {
      this.key = key;
      this.metrics = new ClientMetrics(key.metricsPrefix());
      this.client = ScrapinghubClient.create(key.connection().clientConfig(), metrics);
      if (key.progressName() != null) {
        ProgressLogger.register(key.progressName(), client.stats(), progressInterval);
      }
    }

    void close() {
      if (key.progressName() != null) {
        ProgressLogger.unregister(key.progressName(), client.stats());
      }
      client.close();
    }
  }

  private final Entry entry;
  private final AtomicBoolean released = new AtomicBoolean();

  private SharedClient(Entry entry) {
    this.entry = entry;
  }

  /**
   * The client for {@code connection}, its traffic published as Beam metrics named
   * {@code <metricsPrefix>_requests}, {@code _bytes}, {@code _retries}... Pair with {@link #release()}.
   *
   * @param connection the connection
   * @param metricsPrefix the metrics' name prefix
   * @return a hold on the shared client
   */
  public static SharedClient acquire(ScrapinghubConnection connection, String metricsPrefix) {
    return acquire(new Key(check(connection), checkPrefix(metricsPrefix), null), null);
  }

  /**
   * Like {@link #acquire(ScrapinghubConnection, String)}, and the client's traffic also feeds the
   * progress line {@code progressName} logged every {@code progressInterval} (see {@link ProgressLogger}).
   *
   * @param connection the connection
   * @param metricsPrefix the metrics' name prefix
   * @param progressName the progress line's name
   * @param progressInterval time between progress lines
   * @return a hold on the shared client
   */
  public static SharedClient acquire(ScrapinghubConnection connection, String metricsPrefix, String progressName,
      Duration progressInterval) {
    if (progressName == null || progressName.isBlank()) {
      throw new IllegalArgumentException("progress name must be non-empty, but was '" + progressName + "'");
    }
    if (progressInterval == null || progressInterval.isNegative() || progressInterval.isZero()) {
      throw new IllegalArgumentException("progress interval must be a positive duration, but was " + progressInterval);
    }
    return acquire(new Key(check(connection), checkPrefix(metricsPrefix), progressName), progressInterval);
  }

  private static SharedClient acquire(Key key, @Nullable Duration progressInterval) {
    synchronized (CLIENTS) {
      Entry e = CLIENTS.computeIfAbsent(key, k -> new Entry(k, progressInterval));
      e.users++;
      return new SharedClient(e);
    }
  }

  private static ScrapinghubConnection check(ScrapinghubConnection connection) {
    if (connection == null) {
      throw new IllegalArgumentException("connection must not be null");
    }
    return connection;
  }

  private static String checkPrefix(String prefix) {
    if (prefix == null || prefix.isBlank()) {
      throw new IllegalArgumentException("metrics prefix must be non-empty, but was '" + prefix + "'");
    }
    return prefix;
  }

  /**
   * The shared client; do not close it, {@link #release()} this hold instead.
   *
   * @return the client
   */
  public ScrapinghubClient client() {
    if (released.get()) {
      throw new IllegalStateException("this hold on the Scrapy Cloud client was already released");
    }
    return entry.client;
  }

  /**
   * Moves the shared client's traffic since the last publication (by any holder) into Beam
   * metrics. Call on a DoFn thread ({@code @ProcessElement} or {@code @FinishBundle}): requests run
   * on fetch and upload threads, which have no metrics container.
   */
  public void publishMetrics() {
    synchronized (entry.metrics) {
      entry.metrics.publish(entry.client.stats());
    }
  }

  /** Lets go of the client; the last holder in the JVM closes it. Calling it again does nothing. */
  public void release() {
    if (!released.compareAndSet(false, true)) {
      return;
    }
    synchronized (CLIENTS) {
      if (--entry.users > 0) {
        return;
      }
      CLIENTS.remove(entry.key, entry);
    }
    entry.close();
  }

  /** Holders of the client of this connection and metrics prefix (no progress line); for tests. */
  static int users(ScrapinghubConnection connection, String metricsPrefix) {
    synchronized (CLIENTS) {
      Entry e = CLIENTS.get(new Key(connection, metricsPrefix, null));
      return e == null ? 0 : e.users;
    }
  }

  @Override
  public String toString() {
    return "SharedClient{" + entry.key.connection() + ", metrics " + entry.key.metricsPrefix()
        + (entry.key.progressName() == null ? "" : ", progress '" + entry.key.progressName() + "'") + "}";
  }
}
