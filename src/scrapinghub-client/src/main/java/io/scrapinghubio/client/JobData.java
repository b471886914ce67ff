package io.scrapinghubio.client;

import io.scrapinghubio.client.core.JobKey;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.errors.NotFoundException;
import io.scrapinghubio.client.http.CallOptions;
import io.scrapinghubio.client.http.HttpResult;
import io.scrapinghubio.client.http.HttpTransport;
import io.scrapinghubio.client.json.Json;
import io.scrapinghubio.client.read.JobDataType;
import io.scrapinghubio.client.read.JobRecord;
import io.scrapinghubio.client.read.JsonLinesDecoder;
import io.scrapinghubio.client.read.PagedReader;
import io.scrapinghubio.client.read.ReadSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One of a job's record logs: its items, logs, requests or samples. Reading streams bounded pages
 * (see {@link PagedReader}); nothing holds a whole job in memory unless {@link #list()} is asked to.
 */
public class JobData {
  /** The client that reads. */
  protected final ScrapinghubClient client;
  /** The job read. */
  protected final JobKey job;
  /** The record log read. */
  protected final JobDataType type;

  JobData(ScrapinghubClient client, JobKey job, JobDataType type) {
    this.client = client;
    this.job = job;
    this.type = type;
  }

  /**
   * The job.
   *
   * @return the job's key
   */
  public JobKey job() {
    return job;
  }

  /**
   * The record log.
   *
   * @return the data type
   */
  public JobDataType type() {
    return type;
  }

  /**
   * Every record, streamed in pages.
   *
   * @return the records
   */
  public Iterable<JobRecord> iter() {
    return () -> reader(ReadSpec.all(job, type));
  }

  /**
   * Records selected by {@code spec} (offset/count/start/startafter, filters, {@code _key} kept or
   * not), streamed in pages; e.g. {@code items.iter(items.spec().withOffset(10).withCount(5))}.
   *
   * @param spec the selection
   * @return the records
   */
  public Iterable<JobRecord> iter(ReadSpec spec) {
    checkSpec(spec);
    return () -> reader(spec);
  }

  /**
   * {@link #iter(ReadSpec)} into a list: only for small selections.
   *
   * @param spec the selection
   * @return the records
   */
  public List<JobRecord> list(ReadSpec spec) {
    List<JobRecord> out = new ArrayList<>();
    iter(spec).forEach(out::add);
    return out;
  }

  /**
   * The record at {@code index} ({@code GET <type>/P/S/J/<index>}), without {@code _key}.
   *
   * @param index the record's index
   * @return the record
   * @throws NotFoundException if the job has no such record
   */
  public JobRecord get(long index) {
    if (index < 0) {
      throw new IllegalArgumentException("record index must be >= 0, but was " + index + " (" + job + " " + type.path() + ")");
    }
    HttpResult r = client.transport().get(
        client.transport().storage(type.path(), job.toString(), Long.toString(index)).build(),
        HttpTransport.JSON_LINES, CallOptions.IDEMPOTENT_JSON_LINES);
    byte[] b = r.body();
    int end = b.length;
    while (end > 0 && (b[end - 1] == '\n' || b[end - 1] == '\r' || b[end - 1] == ' ')) {
      end--;
    }
    if (end == 0) {
      throw new NotFoundException("job " + job + " has no " + type.path() + " record " + index);
    }
    int nl = JsonLinesDecoder.indexOf(b, (byte) '\n', 0);
    if (nl >= 0 && nl < end) {
      end = nl; // one record only, as the official client's get() takes the first
    }
    return JsonLinesDecoder.decode(Arrays.copyOf(b, end), job, false, true, index).get(0);
  }

  private void checkSpec(ReadSpec spec) {
    if (!spec.job().equals(job) || spec.type() != type) {
      throw new IllegalArgumentException("read spec for " + spec.job() + " " + spec.type() + " used on " + job + " " + type);
    }
  }

  /**
   * Records selected by {@code spec}'s range, filters, page size and read-ahead.
   *
   * @param spec the selection
   * @return the reader; close it when done
   */
  public PagedReader reader(ReadSpec spec) {
    checkSpec(spec);
    return new PagedReader(client.transport(), spec, client.ioExecutor(), client.stats(), this::count);
  }

  /**
   * A reader over {@code [from, to)}.
   *
   * @param from the first index
   * @param to the index after the last
   * @return the reader; close it when done
   */
  public PagedReader reader(long from, long to) {
    return reader(ReadSpec.all(job, type).withRange(from, to));
  }

  /**
   * A new spec for this job and type, to refine with {@code withX()} and pass to
   * {@link #reader(ReadSpec)}.
   *
   * @return the spec
   */
  public ReadSpec spec() {
    return ReadSpec.all(job, type);
  }

  /**
   * All records in memory: only for small jobs.
   *
   * @return the records
   */
  public List<JobRecord> list() {
    List<JobRecord> out = new ArrayList<>();
    iter().forEach(out::add);
    return out;
  }

  /**
   * {@code GET <type>/P/S/J/stats}: {@code counts} per field and {@code totals}
   * ({@code input_values}, {@code input_bytes}).
   *
   * @return the stats
   */
  public JsonNode stats() {
    return Json.parse(client.transport()
        .get(client.transport().storage(type.path(), job.toString(), "stats").build(), "application/json", CallOptions.IDEMPOTENT)
        .body());
  }

  /**
   * Number of records, from {@code stats()} ({@code totals.input_values}); 0 for a job with none.
   *
   * @return the count
   */
  public long count() {
    return stats().path("totals").path("input_values").asLong(0);
  }

  /**
   * Total encoded size of the records in bytes, from {@code stats()} ({@code totals.input_bytes}).
   *
   * @return the bytes
   */
  public long bytes() {
    return stats().path("totals").path("input_bytes").asLong(0);
  }
}
