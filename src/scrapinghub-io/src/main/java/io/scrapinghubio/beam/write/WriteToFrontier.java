package io.scrapinghubio.beam.write;

import com.google.auto.value.AutoValue;
import io.scrapinghubio.client.frontier.FrontierRequest;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Adds requests to a frontier of the Hub Crawl Frontier ({@code hcf/P/<frontier>/s/<slot>}),
 * routed to slots by a slot function (default {@link FrontierSlots#byHost(int)}: the URL's host,
 * like Scrapy's per-domain slots), in batched, concurrent uploads. Use
 * {@code ScrapinghubIO.writeToFrontier()} (each element a URL or fingerprint),
 * {@code writeJsonToFrontier()} ({@code {"fp", "qdata", "fdata", "p"}} as JSON text) or
 * {@code writeRequestsToFrontier(fn)} (any element mapped to a {@link FrontierRequest}).
 *
 * <p>A slot queues a fingerprint only the first time it sees it, so a bundle retried after some
 * batches were accepted queues nothing twice. The service's {@code newcount} answers are reported
 * as three metrics that add up to the requests written:
 * <ul>
 *   <li>{@code frontier_newcount}: requests the service said it newly queued;
 *   <li>{@code frontier_duplicates}: requests the service said it already knew, in uploads answered
 *       without a lost answer before: duplicates in the input, or requests a retried bundle or an
 *       earlier run had already queued;
 *   <li>{@code frontier_unconfirmed}: the other requests of an upload re-sent after its answer was
 *       lost (a reset, an answer cut short, a gateway 5xx): the lost attempt may have queued them,
 *       so the service's "already known" says nothing about the input. Each of them is queued once.
 * </ul>
 */
@AutoValue
public abstract class WriteToFrontier<T> extends BatchedWrite<T, WriteToFrontier<T>> {
  private static final long serialVersionUID = 1L;
  /**
   * Records per upload unless {@code withMaxBatchRecords} says otherwise, as the official client.
   */
  public static final int DEFAULT_MAX_BATCH_RECORDS = 5000;
  /** Slots for fingerprints that are not URLs, with the default slot function. */
  public static final int DEFAULT_HASH_SLOTS = 16;

  abstract @Nullable String frontier();

  abstract SerializableFunction<T, FrontierRequest> requestFunction();

  abstract SerializableFunction<FrontierRequest, String> slotFunction();

  abstract Builder<T> toBuilder();

  @AutoValue.Builder
  abstract static class Builder<T> {
    abstract Builder<T> setConfig(WriteConfig c);

    abstract Builder<T> setFrontier(String f);

    abstract Builder<T> setRequestFunction(SerializableFunction<T, FrontierRequest> f);

    abstract Builder<T> setSlotFunction(SerializableFunction<FrontierRequest, String> f);

    abstract WriteToFrontier<T> build();
  }

  /**
   * Use {@code ScrapinghubIO.writeRequestsToFrontier(fn)}.
   *
   * @param <T> the element type
   * @param requestFunction each element's frontier request
   * @return a write to configure with {@code withProject} and {@code to}
   */
  public static <T> WriteToFrontier<T> create(SerializableFunction<T, FrontierRequest> requestFunction) {
    if (requestFunction == null) {
      throw new IllegalArgumentException("request function must not be null");
    }
    return new AutoValue_WriteToFrontier.Builder<T>()
        .setConfig(WriteConfig.defaults(DEFAULT_MAX_BATCH_RECORDS))
        .setRequestFunction(requestFunction)
        .setSlotFunction(FrontierSlots.byHost(DEFAULT_HASH_SLOTS))
        .build();
  }

  /**
   * Use {@code ScrapinghubIO.writeToFrontier()}: each element is a fingerprint, usually the URL.
   *
   * @return a write to configure with {@code withProject} and {@code to}
   */
  public static WriteToFrontier<String> fingerprints() {
    return create(new Fingerprint());
  }

  /**
   * Use {@code ScrapinghubIO.writeJsonToFrontier()}:
   * {@code {"fp": ..., "qdata": {...}, "fdata": {...}, "p": 1}}.
   *
   * @return a write to configure with {@code withProject} and {@code to}
   */
  public static WriteToFrontier<String> json() {
    return create(new JsonRequest());
  }

  /**
   * The frontier name (non-empty, no {@code /}). Required.
   *
   * @param frontier the frontier's name
   * @return a new transform with this setting
   */
  public WriteToFrontier<T> to(String frontier) {
    if (frontier == null || frontier.isEmpty() || frontier.contains("/")) {
      throw new IllegalArgumentException("frontier name must be non-empty and contain no '/', but was '" + frontier + "'");
    }
    return toBuilder().setFrontier(frontier).build();
  }

  /**
   * Routes each request to a slot (non-empty, no {@code /}); see {@link FrontierSlots}.
   *
   * @param slotFunction each request's slot
   * @return a new transform with this setting
   */
  public WriteToFrontier<T> withSlotFunction(SerializableFunction<FrontierRequest, String> slotFunction) {
    if (slotFunction == null) {
      throw new IllegalArgumentException("slot function must not be null");
    }
    return toBuilder().setSlotFunction(slotFunction).build();
  }

  @Override
  WriteToFrontier<T> withConfig(WriteConfig config) {
    return toBuilder().setConfig(config).build();
  }

  @Override
  WriteTarget checkedTarget() {
    if (frontier() == null) {
      throw new IllegalArgumentException("writeToFrontier() needs to(frontierName)");
    }
    return WriteTarget.frontier(frontier());
  }

  @Override
  RecordFormat<T> recordFormat() {
    return RecordFormat.frontier(requestFunction(), slotFunction());
  }

  @Override
  public void populateDisplayData(DisplayData.Builder b) {
    super.populateDisplayData(b);
    b.addIfNotNull(DisplayData.item("frontier", frontier()).withLabel("Frontier"));
    b.add(DisplayData.item("slotFunction", String.valueOf(slotFunction())).withLabel("Slot function"));
  }

  private static final class Fingerprint implements SerializableFunction<String, FrontierRequest> {
    private static final long serialVersionUID = 1L;

    @Override
    public FrontierRequest apply(String fp) {
      return FrontierRequest.of(fp);
    }
  }

  private static final class JsonRequest implements SerializableFunction<String, FrontierRequest> {
    private static final long serialVersionUID = 1L;

    @Override
    public FrontierRequest apply(String json) {
      return RecordFormat.parseRequest(json);
    }
  }

  @Override
  String entryPoint() {
    return "writeToFrontier()";
  }
}
