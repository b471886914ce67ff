package io.scrapinghubio.beam.read;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * One record read from Scrapy Cloud, as the default output of {@code ScrapinghubIO.read()}: its
 * JSON text exactly as the service stored it (no parse and re-encode), plus its lineage — the job
 * it belongs to and its index in that job. {@code jobKey + "/" + index} is the record's
 * {@code _key}, a natural id for idempotent downstream writes.
 *
 * <p>A record read by {@code read()} or {@code readAll()} also names its job's spider
 * ({@link #spider()}, from the job listing or existence check the read makes anyway; for
 * {@code readAll()}'s keys, looked up once per spider and worker, never per record);
 * with {@code withStoreTimes()} it carries the time the service stored it ({@link #storedAt()}).
 * Neither takes part in {@link #equals}: a record is its key and its JSON.
 */
@DefaultCoder(ScrapinghubRecordCoder.class)
public final class ScrapinghubRecord implements Serializable {
  private static final long serialVersionUID = 1L;

  /** See {@link #jobKey()}. */
  private final String jobKey;
  /** See {@link #index()}. */
  private final long index;
  /**
   * UTF-8, as it came over the wire: exports write these bytes as they are, and only a caller
   * who asks for {@link #json()} pays for decoding them.
   */
  private final byte[] json;
  /** See {@link #spider()}; null when unknown. */
  private final String spider;
  /** See {@link #storedAt()}; {@link #NO_STORE_TIME} when not read. */
  private final long storedAt;

  /** {@code storedAt} of a record read without its store time. */
  private static final long NO_STORE_TIME = Long.MIN_VALUE;

  /**
   * A record of this JSON text.
   *
   * @param jobKey the job, {@code P/S/J}
   * @param index the record's 0-based index in its job
   * @param json the record's JSON text
   */
  public ScrapinghubRecord(String jobKey, long index, String json) {
    this(jobKey, index, Objects.requireNonNull(json, "json").getBytes(StandardCharsets.UTF_8));
  }

  private ScrapinghubRecord(String jobKey, long index, byte[] jsonUtf8) {
    this(jobKey, index, jsonUtf8, null, NO_STORE_TIME);
  }

  private ScrapinghubRecord(String jobKey, long index, byte[] jsonUtf8, String spider, long storedAt) {
    this.jobKey = Objects.requireNonNull(jobKey, "jobKey");
    this.index = index;
    this.json = jsonUtf8;
    this.spider = spider;
    this.storedAt = storedAt;
  }

  /**
   * A record over these UTF-8 JSON bytes with its provenance: its job's spider and its store time.
   * The caller hands the bytes over and must not modify them afterwards.
   *
   * @param jobKey the job, {@code P/S/J}
   * @param index the record's 0-based index in its job
   * @param jsonUtf8 the record's JSON, UTF-8, not copied
   * @param spider the name of the job's spider, or null when unknown
   * @param storedAt when the service stored the record, epoch milliseconds, or
   *     {@link Long#MIN_VALUE} when unknown
   * @return the record
   */
  public static ScrapinghubRecord ofUtf8(String jobKey, long index, byte[] jsonUtf8, String spider, long storedAt) {
    return new ScrapinghubRecord(jobKey, index, Objects.requireNonNull(jsonUtf8, "jsonUtf8"), spider, storedAt);
  }

  /**
   * A record over these UTF-8 JSON bytes, which the caller hands over and must not modify
   * afterwards.
   *
   * @param jobKey the job, {@code P/S/J}
   * @param index the record's 0-based index in its job
   * @param jsonUtf8 the record's JSON, UTF-8, not copied
   * @return the record
   */
  public static ScrapinghubRecord ofUtf8(String jobKey, long index, byte[] jsonUtf8) {
    return new ScrapinghubRecord(jobKey, index, Objects.requireNonNull(jsonUtf8, "jsonUtf8"));
  }

  /**
   * {@code <project>/<spider>/<job>}.
   *
   * @return the job key
   */
  public String jobKey() {
    return jobKey;
  }

  /**
   * 0-based index of the record in its job.
   *
   * @return the index
   */
  public long index() {
    return index;
  }

  /**
   * The name of the spider whose job holds the record (not the numeric id of {@link #jobKey()}),
   * as the job queue names it.
   *
   * @return the spider's name; empty for a record made without one
   */
  public Optional<String> spider() {
    return Optional.ofNullable(spider);
  }

  /**
   * When the service stored the record ({@code _ts}, epoch milliseconds): read only when the read
   * asked for it ({@code withStoreTimes()}), and only items, logs and requests have one.
   *
   * @return the store time; empty when not read
   */
  public OptionalLong storedAt() {
    return storedAt == NO_STORE_TIME ? OptionalLong.empty() : OptionalLong.of(storedAt);
  }

  /** Whether the record carries a spider name or a store time (the coder's longer form). */
  boolean hasProvenance() {
    return spider != null || storedAt != NO_STORE_TIME;
  }

  /** The spider's name or null, for the coder. */
  String spiderOrNull() {
    return spider;
  }

  /** The store time or {@link Long#MIN_VALUE}, for the coder. */
  long storedAtOrMin() {
    return storedAt;
  }

  /**
   * {@code <project>/<spider>/<job>/<index>}, the record's {@code _key} on Scrapy Cloud.
   *
   * @return the record key
   */
  public String key() {
    return jobKey + "/" + index;
  }

  /**
   * The record's JSON text (without {@code _key}).
   *
   * @return the JSON text, decoded from UTF-8 on each call
   */
  public String json() {
    return new String(json, StandardCharsets.UTF_8);
  }

  /**
   * The record's JSON as UTF-8 bytes, without a copy: do not modify them.
   *
   * @return the bytes themselves
   */
  public byte[] jsonUtf8() {
    return json;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ScrapinghubRecord)) {
      return false;
    }
    ScrapinghubRecord r = (ScrapinghubRecord) o;
    // By key and JSON only: the spider's name follows from the job, and the store time from the
    // stored record, so a record read with or without them is the same record.
    return index == r.index && jobKey.equals(r.jobKey) && Arrays.equals(json, r.json);
  }

  @Override
  public int hashCode() {
    return Objects.hash(jobKey, index, Arrays.hashCode(json));
  }

  @Override
  public String toString() {
    return key() + " " + json();
  }
}
