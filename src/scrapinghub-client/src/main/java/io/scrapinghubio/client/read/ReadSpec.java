package io.scrapinghubio.client.read;

import io.scrapinghubio.client.core.JobKey;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * What to read from one job: a data type, the index range {@code [from, to)} ({@code to} may be
 * {@link Long#MAX_VALUE} for "to the end"), the page size, optional {@code filter} triples (JSON
 * text such as {@code ["level", ">=", [40]]}), and whether to keep {@code _key} in the JSON.
 *
 * <p>Serialisable so that a Beam pipeline can ship it to workers; its serialised form is its
 * components, documented here, so it is left out of the serialised-form page (whose checks would
 * ask for a comment on each component's field).
 *
 * @param job the job
 * @param type the record log
 * @param from the first index
 * @param to the index after the last, or {@link Long#MAX_VALUE} for the end
 * @param pageSize records per request
 * @param filters filter triples as JSON text
 * @param keepKey whether records keep {@code _key}
 * @param prefetchPages pages in flight ahead of the one consumed
 * @param timestamps whether records carry their store time ({@link #withTimestamps})
 * @param bufferBytes the most bytes of records held for the caller ({@link #withBufferBytes})
 * @serial exclude
 */
public record ReadSpec(
    JobKey job, JobDataType type, long from, long to, int pageSize, List<String> filters,
    boolean keepKey, int prefetchPages, boolean timestamps, long bufferBytes) implements Serializable {

  /**
   * Records per request. Chosen by measurement (ExportBenchmark / ClientReadBenchmark): pages are
   * streamed, so a bigger page costs no memory, only the last page's tail of parallelism; 2,500
   * records of ~1.4 KB keep four streams busy on a 10,000-record range.
   */
  public static final int DEFAULT_PAGE_SIZE = 2_500;
  /** Pages in flight beyond the one being read. */
  public static final int DEFAULT_PREFETCH_PAGES = 3;
  /** Bytes of records a reader holds for its caller, over all its pages in flight. */
  public static final long DEFAULT_BUFFER_BYTES = 16L << 20;
  /** {@link #withPageSize page size} for one request over the whole range, as one-stream tools read a job. */
  public static final int WHOLE_RANGE = Integer.MAX_VALUE;

  /**
   * As the canonical constructor, without store timestamps, with the default buffer.
   *
   * @param job the job
   * @param type the record log
   * @param from the first index
   * @param to the index after the last
   * @param pageSize records per request
   * @param filters filter triples as JSON text
   * @param keepKey whether records keep {@code _key}
   * @param prefetchPages pages in flight ahead of the one consumed
   */
  public ReadSpec(JobKey job, JobDataType type, long from, long to, int pageSize, List<String> filters,
      boolean keepKey, int prefetchPages) {
    this(job, type, from, to, pageSize, filters, keepKey, prefetchPages, false, DEFAULT_BUFFER_BYTES);
  }

  /**
   * A spec; the range and sizes are checked.
   *
   * @param job the job
   * @param type the record log
   * @param from the first index
   * @param to the index after the last
   * @param pageSize records per request
   * @param filters filter triples as JSON text
   * @param keepKey whether records keep {@code _key}
   * @param prefetchPages pages in flight ahead of the one consumed
   * @param timestamps whether records carry their store time
   * @param bufferBytes the most bytes of records held for the caller
   */
  public ReadSpec {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(type, "type");
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("bad record range [" + from + ", " + to + ") of job " + job + ": expected 0 <= from <= to");
    }
    if (pageSize < 1) {
      throw new IllegalArgumentException("pageSize must be >= 1 (WHOLE_RANGE for one request), but was " + pageSize);
    }
    if (prefetchPages < 0 || prefetchPages > 64) {
      throw new IllegalArgumentException("prefetchPages must be in 0..64, but was " + prefetchPages);
    }
    if (bufferBytes < 1024) {
      throw new IllegalArgumentException("bufferBytes must be >= 1024, but was " + bufferBytes);
    }
    filters = List.copyOf(filters);
  }

  /**
   * Every record of the job's {@code type}, in streamed pages of {@value #DEFAULT_PAGE_SIZE},
   * {@value #DEFAULT_PREFETCH_PAGES} pages in flight ahead, at most 16 MiB held for the caller.
   *
   * @param job the job
   * @param type the record log
   * @return the spec
   */
  public static ReadSpec all(JobKey job, JobDataType type) {
    return new ReadSpec(job, type, 0, Long.MAX_VALUE, DEFAULT_PAGE_SIZE, List.of(), false, DEFAULT_PREFETCH_PAGES);
  }

  /**
   * One request for the whole range, read as it streams: what the one-stream tools do with a job.
   *
   * @return a new spec
   */
  public ReadSpec withOneRequest() {
    return withPageSize(WHOLE_RANGE).withPrefetchPages(0);
  }

  /**
   * At most {@code bytes} of records held for the caller over all pages in flight (each page
   * gets its share); a caller slower than the network stalls the streams at this bound.
   *
   * @param bytes positive
   * @return a new spec
   */
  public ReadSpec withBufferBytes(long bytes) {
    return new ReadSpec(job, type, from, to, pageSize, filters, keepKey, prefetchPages, timestamps, bytes);
  }

  /**
   * The same spec over {@code [from, to)}.
   *
   * @param from the first index
   * @param to the index after the last
   * @return a new spec
   */
  public ReadSpec withRange(long from, long to) {
    return new ReadSpec(job, type, from, to, pageSize, filters, keepKey, prefetchPages, timestamps, bufferBytes);
  }

  /**
   * The same spec with this page size.
   *
   * @param n records per request
   * @return a new spec
   */
  public ReadSpec withPageSize(int n) {
    return new ReadSpec(job, type, from, to, n, filters, keepKey, prefetchPages, timestamps, bufferBytes);
  }

  /**
   * The same spec with these filters.
   *
   * @param f filter triples as JSON text
   * @return a new spec
   */
  public ReadSpec withFilters(List<String> f) {
    return new ReadSpec(job, type, from, to, pageSize, f, keepKey, prefetchPages, timestamps, bufferBytes);
  }

  /**
   * The same spec, keeping {@code _key} in the records' JSON or not.
   *
   * @param keep true to keep it
   * @return a new spec
   */
  public ReadSpec withKeepKey(boolean keep) {
    return new ReadSpec(job, type, from, to, pageSize, filters, keep, prefetchPages, timestamps, bufferBytes);
  }

  /**
   * The same spec with this read-ahead.
   *
   * @param n pages in flight ahead, 0 or more
   * @return a new spec
   */
  public ReadSpec withPrefetchPages(int n) {
    return new ReadSpec(job, type, from, to, pageSize, filters, keepKey, n, timestamps, bufferBytes);
  }

  /**
   * Also ask for each record's store time ({@code meta=_ts}, epoch milliseconds), handed over as
   * {@link JobRecord#timestamp()} and removed from the record's JSON. Timestamped reads travel as
   * JSON lines whatever the client's read format. Items, logs and requests carry it; samples do not.
   *
   * @param ts true to ask for store times
   * @return a new spec
   */
  public ReadSpec withTimestamps(boolean ts) {
    if (ts && !type.hasKeys()) {
      throw new IllegalArgumentException(type.path() + " records carry no store time (_ts); only items, logs and requests do");
    }
    return new ReadSpec(job, type, from, to, pageSize, filters, keepKey, prefetchPages, ts, bufferBytes);
  }

  /**
   * Start at record {@code offset} (0-based), keeping the count if one was set; like the official
   * client's {@code iter(offset=N)}.
   *
   * @param offset the first index
   * @return a new spec
   */
  public ReadSpec withOffset(long offset) {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0, but was " + offset);
    }
    long to2 = bounded() ? saturatedAdd(offset, to - from) : Long.MAX_VALUE;
    return withRange(offset, to2);
  }

  /**
   * At most {@code count} records from the current start ({@code iter(count=N)}).
   *
   * @param count the most records
   * @return a new spec
   */
  public ReadSpec withCount(long count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, but was " + count);
    }
    return withRange(from, saturatedAdd(from, count));
  }

  /**
   * Start at the record whose key is {@code key} (inclusive), e.g. {@code 2222222/1/287/5}; the key
   * must belong to this job.
   *
   * @param key a record key of this job
   * @return a new spec
   */
  public ReadSpec withStart(String key) {
    return withOffset(indexOfKey("start", key));
  }

  /**
   * Start after the record whose key is {@code key} (exclusive), as {@code startafter=}.
   *
   * @param key a record key of this job
   * @return a new spec
   */
  public ReadSpec withStartAfter(String key) {
    return withOffset(indexOfKey("startafter", key) + 1);
  }

  /**
   * Adds a {@code filter} triple {@code [field, op, [values...]]} (repeated filters AND), e.g.
   * {@code withFilter("level", ">=", 40)}. The operator must be one of
   * {@link FilterOperators#KNOWN} ({@code =}, {@code >}, {@code contains}, {@code haselement}...).
   *
   * @param field the field
   * @param op the operator
   * @param values the values
   * @return a new spec
   * @throws IllegalArgumentException for an unknown operator, naming it and the known ones
   */
  public ReadSpec withFilter(String field, String op, Object... values) {
    java.util.List<String> f = new java.util.ArrayList<>(filters);
    f.add(filterJson(field, op, values));
    return withFilters(f);
  }

  /**
   * The filter triple as the official client encodes it ({@code json.dumps}):
   * {@code ["level", ">=", [40]]}.
   *
   * @param field the field
   * @param op the operator
   * @param values the values
   * @return the triple as JSON text
   */
  public static String filterJson(String field, String op, Object... values) {
    if (field == null || field.isBlank()) {
      throw new IllegalArgumentException("filter field must be non-empty, but was '" + field + "'");
    }
    if (op == null || op.isBlank()) {
      throw new IllegalArgumentException("filter operator must be non-empty, but was '" + op + "' (field " + field + ")");
    }
    FilterOperators.check(op, "on '" + field + "'");
    if (values == null || values.length == 0) {
      throw new IllegalArgumentException("filter on '" + field + "' " + op + " needs at least one value");
    }
    StringBuilder sb = new StringBuilder("[").append(io.scrapinghubio.client.json.Json.write(field)).append(", ")
        .append(io.scrapinghubio.client.json.Json.write(op)).append(", [");
    for (int i = 0; i < values.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(io.scrapinghubio.client.json.Json.write(values[i]));
    }
    return sb.append("]]").toString();
  }

  private long indexOfKey(String what, String key) {
    String prefix = job + "/";
    if (key == null || !key.startsWith(prefix)) {
      throw new IllegalArgumentException(what + " key '" + key + "' is not a record key of job " + job
          + " (expected '" + prefix + "<index>')");
    }
    try {
      long n = Long.parseLong(key.substring(prefix.length()));
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " key '" + key + "' must end in a record index >= 0, e.g. '" + prefix + "5'");
    }
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return r < 0 ? Long.MAX_VALUE : r;
  }

  /**
   * Whether the range has an upper end.
   *
   * @return false when {@code to} is {@link Long#MAX_VALUE}
   */
  public boolean bounded() {
    return to != Long.MAX_VALUE;
  }
}
