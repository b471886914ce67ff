package io.scrapinghubio.beam.connection;

import io.scrapinghubio.client.ScrapinghubClient;
import java.time.Duration;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.beam.sdk.transforms.DoFn;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A DoFn that calls the service through its worker's {@link SharedClient}: the hold is taken in
 * {@code @Setup}, the client's traffic is published as Beam metrics at each bundle's end, and the
 * hold is let go in {@code @Teardown}. Every transform's DoFn used to write these three methods
 * itself; they are final here so that no subclass can forget the release or publish twice.
 *
 * <p>Internal to ScrapinghubIO's transforms; public only because they live in several packages.
 *
 * @param <InputT> the input element type
 * @param <OutputT> the output element type
 */
@Internal
public abstract class SharedClientFn<InputT, OutputT> extends DoFn<InputT, OutputT> {
  private static final long serialVersionUID = 1L;

  /** The service and credentials the client is shared for. */
  private final ScrapinghubConnection connection;
  /** The prefix of the Beam metrics the client's traffic is published under. */
  private final String metricsPrefix;
  /** The progress line the traffic feeds, or null for none. */
  private final @Nullable String progressName;
  /** Time between progress lines, or null without a progress line. */
  private final @Nullable Duration progressInterval;
  private transient @Nullable SharedClient shared;

  /**
   * A DoFn whose traffic is published under {@code <metricsPrefix>_requests}, {@code _bytes}...
   *
   * @param connection the connection
   * @param metricsPrefix the metrics' name prefix
   */
  protected SharedClientFn(ScrapinghubConnection connection, String metricsPrefix) {
    this(connection, metricsPrefix, null, null);
  }

  /**
   * Like {@link #SharedClientFn(ScrapinghubConnection, String)}; the traffic also feeds the
   * progress line {@code progressName} (see {@link SharedClient#acquire(ScrapinghubConnection, String, String, Duration)}).
   *
   * @param connection the connection
   * @param metricsPrefix the metrics' name prefix
   * @param progressName the progress line's name, or null for none
   * @param progressInterval time between progress lines, or null for none
   */
  protected SharedClientFn(ScrapinghubConnection connection, String metricsPrefix, @Nullable String progressName,
      @Nullable Duration progressInterval) {
    this.connection = connection;
    this.metricsPrefix = metricsPrefix;
    this.progressName = progressName;
    this.progressInterval = progressInterval;
  }

  /** Takes the hold on the worker's client, then lets the subclass prepare ({@link #afterClientAcquired()}). */
  @Setup
  public final void acquireSharedClient() {
    shared = progressName == null
        ? SharedClient.acquire(connection, metricsPrefix)
        : SharedClient.acquire(connection, metricsPrefix, progressName, progressInterval);
    afterClientAcquired();
  }

  /** What a subclass prepares once per instance, after the client is held; nothing by default. */
  protected void afterClientAcquired() {}

  /**
   * The worker's shared client; only between setup and teardown.
   *
   * @return the client
   */
  protected final ScrapinghubClient client() {
    if (shared == null) {
      throw new IllegalStateException(getClass().getSimpleName() + " used its client outside @Setup..@Teardown");
    }
    return shared.client();
  }

  /**
   * Moves the client's traffic so far into Beam metrics; also for a splittable DoFn that returns a
   * resume and wants its counts seen before the bundle ends.
   */
  protected final void publishMetrics() {
    if (shared != null) {
      shared.publishMetrics();
    }
  }

  /** Publishes the bundle's traffic (outside a bundle there is no metrics container to publish to). */
  @FinishBundle
  public final void publishSharedClientMetrics() {
    publishMetrics();
  }

  /** Lets go of the hold; the last holder in the JVM closes the client. */
  @Teardown
  public final void releaseSharedClient() {
    if (shared != null) {
      shared.release();
      shared = null;
    }
  }
}
