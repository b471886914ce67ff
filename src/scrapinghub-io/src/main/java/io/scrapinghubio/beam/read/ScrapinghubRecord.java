package io.scrapinghubio.beam.read;

import java.io.Serializable;
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

  private final String jobKey;
  private final long index;
  private final String json;

  public ScrapinghubRecord(String jobKey, long index, String json) {
    this.jobKey = Objects.requireNonNull(jobKey, "jobKey");
    this.index = index;
    this.json = Objects.requireNonNull(json, "json");
  }

  /** {@code <project>/<spider>/<job>}. */
  public String jobKey() {
    return jobKey;
  }

  /** 0-based index of the record in its job. */
  public long index() {
    return index;
  }

  /** {@code <project>/<spider>/<job>/<index>}, the record's {@code _key} on Scrapy Cloud. */
  public String key() {
    return jobKey + "/" + index;
  }

  /** The record's JSON text (without {@code _key}). */
  public String json() {
    return json;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ScrapinghubRecord)) {
      return false;
    }
    ScrapinghubRecord r = (ScrapinghubRecord) o;
    return index == r.index && jobKey.equals(r.jobKey) && json.equals(r.json);
  }

  @Override
  public int hashCode() {
    return Objects.hash(jobKey, index, json);
  }

  @Override
  public String toString() {
    return key() + " " + json;
  }
}
