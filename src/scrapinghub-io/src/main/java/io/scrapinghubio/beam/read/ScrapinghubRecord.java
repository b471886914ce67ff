package io.scrapinghubio.beam.read;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * One record read from Scrapy Cloud, as the default output of {@code ScrapinghubIO.read()}: its
 * JSON text exactly as the service stored it (no parse and re-encode), plus its lineage — the job
 * it belongs to and its index in that job. {@code jobKey + "/" + index} is the record's
 * {@code _key}, a natural id for idempotent downstream writes.
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
    this.jobKey = Objects.requireNonNull(jobKey, "jobKey");
    this.index = index;
    this.json = jsonUtf8;
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
