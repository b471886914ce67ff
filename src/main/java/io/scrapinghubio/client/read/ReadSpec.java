package io.scrapinghubio.client.read;

import io.scrapinghubio.client.JobKey;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * What to read from one job: a data type, the index range {@code [from, to)} ({@code to} may be
 * {@link Long#MAX_VALUE} for "to the end"), the page size, optional {@code filter} triples (JSON
 * text such as {@code ["level", ">=", [40]]}), and whether to keep {@code _key} in the JSON.
 */
public record ReadSpec(
    JobKey job, JobDataType type, long from, long to, int pageSize, List<String> filters,
    boolean keepKey, int prefetchPages) implements Serializable {

  public static final int DEFAULT_PAGE_SIZE = 1000;

  public ReadSpec {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(type, "type");
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("bad record range [" + from + ", " + to + ") of job " + job + ": expected 0 <= from <= to");
    }
    if (pageSize < 1 || pageSize > 100_000) {
      throw new IllegalArgumentException("pageSize must be in 1..100000, but was " + pageSize);
    }
    if (prefetchPages < 0 || prefetchPages > 16) {
      throw new IllegalArgumentException("prefetchPages must be in 0..16, but was " + prefetchPages);
    }
    filters = List.copyOf(filters);
  }

  /** Every record of the job's {@code type}, in pages of {@value #DEFAULT_PAGE_SIZE}, one page prefetched. */
  public static ReadSpec all(JobKey job, JobDataType type) {
    return new ReadSpec(job, type, 0, Long.MAX_VALUE, DEFAULT_PAGE_SIZE, List.of(), false, 1);
  }

  public ReadSpec withRange(long from, long to) {
    return new ReadSpec(job, type, from, to, pageSize, filters, keepKey, prefetchPages);
  }

  public ReadSpec withPageSize(int n) {
    return new ReadSpec(job, type, from, to, n, filters, keepKey, prefetchPages);
  }

  public ReadSpec withFilters(List<String> f) {
    return new ReadSpec(job, type, from, to, pageSize, f, keepKey, prefetchPages);
  }

  public ReadSpec withKeepKey(boolean keep) {
    return new ReadSpec(job, type, from, to, pageSize, filters, keep, prefetchPages);
  }

  public ReadSpec withPrefetchPages(int n) {
    return new ReadSpec(job, type, from, to, pageSize, filters, keepKey, n);
  }

  boolean bounded() {
    return to != Long.MAX_VALUE;
  }
}
