package io.scrapinghubio.client.write;

import io.scrapinghubio.client.core.Internal;
import io.scrapinghubio.client.core.JobKey;
import io.scrapinghubio.client.http.HttpTransport;
import io.scrapinghubio.client.read.JobDataType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Batch writers for a job's items, logs, requests and samples, configured as the official client's
 * writers: {@code POST <type>/P/S/J?start=<offset>}, 1000 records per batch, gzip for items, logs
 * and requests, identity for samples. See {@link BatchWriter} for the guarantees.
 *
 * <p>To append to a job that already has records, start at its current count:
 * {@code WriterOptions.defaults().withStartOffset(job.items().count())}; otherwise the new records
 * overwrite the first ones.
 */
public final class JobWriters {
  /** Log level DEBUG, as Python's {@code logging}. */
  public static final int DEBUG = 10;
  /** Log level INFO. */
  public static final int INFO = 20;
  /** Log level WARNING. */
  public static final int WARNING = 30;
  /** Log level ERROR. */
  public static final int ERROR = 40;
  /** Log level CRITICAL. */
  public static final int CRITICAL = 50;

  private JobWriters() {}

  /**
   * A writer for {@code type} of {@code job} with explicit batching options.
   *
   * @param transport the client's transport
   * @param job the job
   * @param type the data type
   * @param options batching limits and the first offset
   * @return the writer; close it to upload what it holds
   */
  @Internal
  public static BatchWriter<Object> of(HttpTransport transport, JobKey job, JobDataType type, WriterOptions options) {
    return new BatchWriter<>(uploader(transport, job, type), new JobRecordEncoder(job, type, options.startOffset()), options, null);
  }

  /**
   * The synchronous uploader behind those writers, for callers that batch themselves (the Beam
   * sink).
   *
   * @param transport the client's transport
   * @param job the job
   * @param type the data type
   * @return the uploader
   */
  @Internal
  public static BatchUploader uploader(HttpTransport transport, JobKey job, JobDataType type) {
    boolean gzip = type != JobDataType.SAMPLES;
    UploadTarget t = new UploadTarget(transport.storage(type.path(), job.toString()).build(), gzip, true, false,
        type.path() + " " + job);
    return new BatchUploader(transport, t);
  }

  /**
   * A log line as the official client writes it:
   * {@code {"time": <ms>, "level": <int>, "message": ...}}.
   *
   * @param level the level, e.g. {@link #INFO}
   * @param message the text
   * @return the record
   */
  public static Map<String, Object> logRecord(int level, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time", System.currentTimeMillis());
    m.put("level", level);
    m.put("message", message);
    return m;
  }

  /** Names a rejected record by the key it would have had, e.g. {@code item 2222222/1/7/42}. */
  private static final class JobRecordEncoder extends JsonEncoder {
    private final JobKey job;
    private final String what;
    private final long first;

    JobRecordEncoder(JobKey job, JobDataType type, long first) {
      this.job = job;
      this.what = type == JobDataType.ITEMS ? "item" : type.path().substring(0, type.path().length() - 1);
      this.first = first;
    }

    @Override
    public String describe(Object record, long position) {
      return what + " " + job.recordKey(first + position);
    }
  }
}
