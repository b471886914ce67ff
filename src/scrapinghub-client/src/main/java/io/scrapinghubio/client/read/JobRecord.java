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

  public JobRecord(JobKey job, long index, byte[] json) {
    this.job = job;
    this.index = index;
    this.json = json;
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
