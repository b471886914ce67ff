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

  public JobRecord(JobKey job, long index, byte[] json) {
    this(job, index, json, NO_TIMESTAMP);
  }

  /** A record with the time the service stored it ({@code _ts}, epoch milliseconds). */
  public JobRecord(JobKey job, long index, byte[] json, long timestamp) {
    this.job = job;
    this.index = index;
    this.json = json;
    this.timestamp = timestamp;
  }

  /**
   * When the service stored the record ({@code _ts}, epoch milliseconds), if the read asked for it
   * ({@link ReadSpec#withTimestamps}); {@link #NO_TIMESTAMP} otherwise.
   */
  public long timestamp() {
    return timestamp;
  }

  public boolean hasTimestamp() {
    return timestamp != NO_TIMESTAMP;
  }

  public JobKey job() {
    return job;
  }

  public long index() {
    return index;
  }

  /** The record's {@code _key}: {@code <project>/<spider>/<job>/<index>}. */
  public String key() {
    return job.recordKey(index);
  }

  /** UTF-8 JSON bytes of the record. Do not modify. */
  public byte[] jsonBytes() {
    return json;
  }

  public String json() {
    return new String(json, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return key() + " " + json();
  }
}
