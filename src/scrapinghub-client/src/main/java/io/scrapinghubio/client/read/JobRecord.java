package io.scrapinghubio.client.read;

import io.scrapinghubio.client.core.JobKey;
import java.nio.charset.StandardCharsets;

/**
 * One record of a job's items, logs, requests or samples: which job, its 0-based index in that
 * job (its {@code _key} is {@code <job>/<index>}), and its JSON text exactly as the service sent
 * it (no parse and re-encode).
 */
public final class JobRecord {
  private final JobKey job;
  private final long index;
  private final byte[] json;
  private final long timestamp;

  /** Marks a record read without {@code meta=_ts}. */
  public static final long NO_TIMESTAMP = Long.MIN_VALUE;

  /**
   * A record without a store time.
   *
   * @param job the record's job
   * @param index its index in the job
   * @param json its UTF-8 JSON, not copied
   */
  public JobRecord(JobKey job, long index, byte[] json) {
    this(job, index, json, NO_TIMESTAMP);
  }

  /**
   * A record with the time the service stored it ({@code _ts}, epoch milliseconds).
   *
   * @param job the record's job
   * @param index its index in the job
   * @param json its UTF-8 JSON, not copied
   * @param timestamp its store time, epoch milliseconds
   */
  public JobRecord(JobKey job, long index, byte[] json, long timestamp) {
    this.job = job;
    this.index = index;
    this.json = json;
    this.timestamp = timestamp;
  }

  /**
   * When the service stored the record ({@code _ts}, epoch milliseconds), if the read asked for it
   * ({@link ReadSpec#withTimestamps}); {@link #NO_TIMESTAMP} otherwise.
   *
   * @return epoch milliseconds, or {@link #NO_TIMESTAMP}
   */
  public long timestamp() {
    return timestamp;
  }

  /**
   * Whether the record carries its store time.
   *
   * @return true when {@link #timestamp()} is one
   */
  public boolean hasTimestamp() {
    return timestamp != NO_TIMESTAMP;
  }

  /**
   * The record's job.
   *
   * @return the job's key
   */
  public JobKey job() {
    return job;
  }

  /**
   * The record's 0-based index in its job.
   *
   * @return the index
   */
  public long index() {
    return index;
  }

  /**
   * The record's {@code _key}: {@code <project>/<spider>/<job>/<index>}.
   *
   * @return the key
   */
  public String key() {
    return job.recordKey(index);
  }

  /**
   * UTF-8 JSON bytes of the record. Do not modify.
   *
   * @return the bytes themselves
   */
  public byte[] jsonBytes() {
    return json;
  }

  /**
   * The record's JSON text.
   *
   * @return the text, decoded on each call
   */
  public String json() {
    return new String(json, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return key() + " " + json();
  }
}
