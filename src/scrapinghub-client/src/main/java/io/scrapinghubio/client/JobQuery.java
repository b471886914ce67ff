package io.scrapinghubio.client;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * Which jobs of a project to list or count: the filters of python-scrapinghub's
 * {@code jobs.iter()} ({@code spider, state, has_tag, lacks_tag, startts, endts, jobmeta}) plus an
 * optional limit. Immutable and serialisable (Beam ships it to workers).
 *
 * <p>As on the service, with no state given only <em>finished</em> jobs are listed and counted.
 * {@code hasTag} matches jobs with any of the tags (OR); {@code lacksTag} excludes jobs with any of
 * them.
 */
public final class JobQuery implements Serializable {
  private static final long serialVersionUID = 1L;

  /** See {@link #spider()}. */
  private final String spider;
  /** See {@link #states()}. */
  private final List<String> states;
  /** See {@link #hasTags()}. */
  private final List<String> hasTags;
  /** See {@link #lacksTags()}. */
  private final List<String> lacksTags;
  /** See {@link #startTs()}. */
  private final Long startTs;
  /** See {@link #endTs()}. */
  private final Long endTs;
  /** See {@link #jobMeta()}. */
  private final List<String> jobMeta;
  /** See {@link #limit()}. */
  private final long limit;

  private JobQuery(String spider, List<String> states, List<String> hasTags, List<String> lacksTags,
      Long startTs, Long endTs, List<String> jobMeta, long limit) {
    this.spider = spider;
    this.states = List.copyOf(states);
    this.hasTags = List.copyOf(hasTags);
    this.lacksTags = List.copyOf(lacksTags);
    this.startTs = startTs;
    this.endTs = endTs;
    this.jobMeta = List.copyOf(jobMeta);
    this.limit = limit;
  }

  /**
   * Finished jobs of every spider, no limit.
   *
   * @return the query
   */
  public static JobQuery all() {
    return new JobQuery(null, List.of(), List.of(), List.of(), null, null, List.of(), Long.MAX_VALUE);
  }

  /** The job states a query can ask for. */
  public static final List<String> STATES = List.of("pending", "running", "finished", "deleted");

  /**
   * Only jobs of this spider.
   *
   * @param name the spider's name, or null for every spider
   * @return a new query
   */
  public JobQuery spider(String name) {
    if (name != null && name.isBlank()) {
      throw new IllegalArgumentException("spider name must be non-empty, but was '" + name + "'");
    }
    return new JobQuery(name, states, hasTags, lacksTags, startTs, endTs, jobMeta, limit);
  }

  /**
   * Jobs in these states (default: finished).
   *
   * @param s states, from {@link #STATES}
   * @return a new query
   */
  public JobQuery state(String... s) {
    List<String> l = new ArrayList<>();
    for (String st : s) {
      if (!STATES.contains(st)) {
        throw new IllegalArgumentException("unknown job state '" + st + "': expected one of " + STATES);
      }
      l.add(st);
    }
    return new JobQuery(spider, l, hasTags, lacksTags, startTs, endTs, jobMeta, limit);
  }

  /**
   * Only jobs having any of these tags.
   *
   * @param tags tags
   * @return a new query
   */
  public JobQuery hasTag(String... tags) {
    return new JobQuery(spider, states, checkTags(tags), lacksTags, startTs, endTs, jobMeta, limit);
  }

  /**
   * Only jobs having none of these tags.
   *
   * @param tags tags
   * @return a new query
   */
  public JobQuery lacksTag(String... tags) {
    return new JobQuery(spider, states, hasTags, checkTags(tags), startTs, endTs, jobMeta, limit);
  }

  /**
   * Jobs whose timestamp is at or after this epoch-millisecond instant.
   *
   * @param epochMillis the instant
   * @return a new query
   * @throws IllegalArgumentException if it is not before an {@link #endTs} already set
   */
  public JobQuery startTs(long epochMillis) {
    return new JobQuery(spider, states, hasTags, lacksTags, checkTs("startTs", epochMillis), endTs, jobMeta, limit)
        .checkRange();
  }

  /**
   * Jobs whose timestamp is before this epoch-millisecond instant.
   *
   * @param epochMillis the instant
   * @return a new query
   * @throws IllegalArgumentException if it is not after a {@link #startTs} already set
   */
  public JobQuery endTs(long epochMillis) {
    return new JobQuery(spider, states, hasTags, lacksTags, startTs, checkTs("endTs", epochMillis), jobMeta, limit)
        .checkRange();
  }

  /**
   * An empty range is a mistake (swapped bounds, seconds for milliseconds), never a wish: and the
   * service does not say so, it ignores an {@code endts} at or before {@code startts} (recorded),
   * so the selection would silently become "everything since startTs".
   */
  private JobQuery checkRange() {
    if (startTs != null && endTs != null && startTs >= endTs) {
      throw new IllegalArgumentException("startTs (" + startTs + ", " + java.time.Instant.ofEpochMilli(startTs)
          + ") must be before endTs (" + endTs + ", " + java.time.Instant.ofEpochMilli(endTs)
          + "): jobs are selected from startTs (inclusive) to endTs (exclusive), both in epoch milliseconds");
    }
    return this;
  }

  /**
   * Fields of each summary; replaces the service's default fields, as {@code jobmeta} does.
   *
   * @param fields field names
   * @return a new query
   */
  public JobQuery jobMeta(String... fields) {
    return new JobQuery(spider, states, hasTags, lacksTags, startTs, endTs, List.of(fields), limit);
  }

  /**
   * At most this many jobs.
   *
   * @param n the most jobs
   * @return a new query
   */
  public JobQuery limit(long n) {
    if (n < 1) {
      throw new IllegalArgumentException("limit must be >= 1, but was " + n);
    }
    return new JobQuery(spider, states, hasTags, lacksTags, startTs, endTs, jobMeta, n);
  }

  private static List<String> checkTags(String... tags) {
    for (String t : tags) {
      if (t == null || t.isBlank()) {
        throw new IllegalArgumentException("tags must be non-empty strings, but got '" + t + "'");
      }
    }
    return List.of(tags);
  }

  private static Long checkTs(String name, long ts) {
    if (ts < 0) {
      throw new IllegalArgumentException(name + " must be epoch milliseconds >= 0, but was " + ts);
    }
    return ts;
  }

  /**
   * The spider selected.
   *
   * @return its name, or null for every spider
   */
  public String spider() {
    return spider;
  }

  /**
   * The states selected.
   *
   * @return the states
   */
  public List<String> states() {
    return Collections.unmodifiableList(states);
  }

  /**
   * Tags a job must have one of.
   *
   * @return the tags, possibly none
   */
  public List<String> hasTags() {
    return hasTags;
  }

  /**
   * Tags a job must have none of.
   *
   * @return the tags, possibly none
   */
  public List<String> lacksTags() {
    return lacksTags;
  }

  /**
   * Start of the time range.
   *
   * @return epoch milliseconds, or null
   */
  public Long startTs() {
    return startTs;
  }

  /**
   * End of the time range.
   *
   * @return epoch milliseconds, or null
   */
  public Long endTs() {
    return endTs;
  }

  /**
   * Fields of each summary.
   *
   * @return the fields, empty for the service's default ones
   */
  public List<String> jobMeta() {
    return jobMeta;
  }

  /**
   * The most jobs.
   *
   * @return the limit
   */
  public long limit() {
    return limit;
  }

  /**
   * Adds these filters as query parameters ({@code spider, state, has_tag, lacks_tag, startts, endts, jobmeta}).
   * Package-private: URLs are the client's business, {@link Jobs} is the only caller.
   */
  HttpUrl.Builder applyTo(HttpUrl.Builder url) {
    if (spider != null) {
      url.addQueryParameter("spider", spider);
    }
    states.forEach(s -> url.addQueryParameter("state", s));
    hasTags.forEach(t -> url.addQueryParameter("has_tag", t));
    lacksTags.forEach(t -> url.addQueryParameter("lacks_tag", t));
    if (startTs != null) {
      url.addQueryParameter("startts", startTs.toString());
    }
    if (endTs != null) {
      url.addQueryParameter("endts", endTs.toString());
    }
    jobMeta.forEach(m -> url.addQueryParameter("jobmeta", m));
    return url;
  }

  @Override
  public String toString() {
    return "JobQuery{spider=" + spider + ", states=" + (states.isEmpty() ? "[finished]" : states)
        + ", hasTag=" + hasTags + ", lacksTag=" + lacksTags + ", startTs=" + startTs + ", endTs=" + endTs
        + ", jobMeta=" + jobMeta + (limit == Long.MAX_VALUE ? "" : ", limit=" + limit) + "}";
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof JobQuery)) {
      return false;
    }
    JobQuery q = (JobQuery) o;
    return Objects.equals(spider, q.spider) && states.equals(q.states) && hasTags.equals(q.hasTags)
        && lacksTags.equals(q.lacksTags) && Objects.equals(startTs, q.startTs) && Objects.equals(endTs, q.endTs)
        && jobMeta.equals(q.jobMeta) && limit == q.limit;
  }

  @Override
  public int hashCode() {
    return Objects.hash(spider, states, hasTags, lacksTags, startTs, endTs, jobMeta, limit);
  }
}
