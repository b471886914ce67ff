package io.scrapinghubio.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.http.CallOptions;
import io.scrapinghubio.client.json.Json;
import io.scrapinghubio.client.read.JobDataType;
import io.scrapinghubio.client.read.JobRecord;
import io.scrapinghubio.client.read.PagedReader;
import io.scrapinghubio.client.read.ReadSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * One of a job's record logs: its items, logs, requests or samples. Reading streams bounded pages
 * (see {@link PagedReader}); nothing holds a whole job in memory unless {@link #list()} is asked to.
 */
public class JobData {
  protected final ScrapinghubClient client;
  protected final JobKey job;
  protected final JobDataType type;

  JobData(ScrapinghubClient client, JobKey job, JobDataType type) {
    this.client = client;
    this.job = job;
    this.type = type;
  }

  public JobKey job() {
    return job;
  }

  public JobDataType type() {
    return type;
  }

  /** Every record, streamed in pages. */
  public Iterable<JobRecord> iter() {
    return () -> reader(ReadSpec.all(job, type));
  }

  /** Records selected by {@code spec}'s range, filters, page size and read-ahead. */
  public PagedReader reader(ReadSpec spec) {
    if (!spec.job().equals(job) || spec.type() != type) {
      throw new IllegalArgumentException("read spec for " + spec.job() + " " + spec.type() + " used on " + job + " " + type);
    }
    return new PagedReader(client.transport(), spec, client.ioExecutor(), client.stats());
  }

  /** A reader over {@code [from, to)}. */
  public PagedReader reader(long from, long to) {
    return reader(ReadSpec.all(job, type).withRange(from, to));
  }

  /** A new spec for this job and type, to refine with {@code withX()} and pass to {@link #reader(ReadSpec)}. */
  public ReadSpec spec() {
    return ReadSpec.all(job, type);
  }

  /** All records in memory: only for small jobs. */
  public List<JobRecord> list() {
    List<JobRecord> out = new ArrayList<>();
    iter().forEach(out::add);
    return out;
  }

  /** {@code GET <type>/P/S/J/stats}: {@code counts} per field and {@code totals} ({@code input_values}, {@code input_bytes}). */
  public JsonNode stats() {
    return Json.parse(client.transport()
        .get(client.transport().storage(type.path(), job.toString(), "stats").build(), "application/json", CallOptions.IDEMPOTENT)
        .body());
  }

  /** Number of records, from {@code stats()} ({@code totals.input_values}); 0 for a job with none. */
  public long count() {
    return stats().path("totals").path("input_values").asLong(0);
  }

  /** Total encoded size of the records in bytes, from {@code stats()} ({@code totals.input_bytes}). */
  public long bytes() {
    return stats().path("totals").path("input_bytes").asLong(0);
  }
}
