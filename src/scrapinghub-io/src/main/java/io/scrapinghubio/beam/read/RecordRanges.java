package io.scrapinghubio.beam.read;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.range.OffsetRange;

/**
 * Sets of records, by job and index: per job key ({@code P/S/J}), disjoint ranges
 * {@code [from, to)} of 0-based record indices. What a pipeline that resumes an interrupted one
 * has already written, and hands to {@link io.scrapinghubio.beam.ScrapinghubRead#withoutRecords(RecordRanges)} so that
 * the read fetches only the rest.
 *
 * <p>Mutable while it is built, then handed to a read, which keeps its own copy.
 */
public final class RecordRanges implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Per job key: range start to range end (exclusive), disjoint and not touching. */
  private final Map<String, TreeMap<Long, Long>> byJob = new HashMap<>();

  /** An empty set, to {@link #add} to. */
  public RecordRanges() {}

  /** A copy of {@code other}. */
  RecordRanges(RecordRanges other) {
    other.byJob.forEach((job, ranges) -> byJob.put(job, new TreeMap<>(ranges)));
  }

  /**
   * Adds records {@code [from, to)} of {@code jobKey}, merged with the ranges they touch.
   *
   * @param jobKey the job's key, {@code P/S/J}
   * @param from the first record's index
   * @param to the index after the last record; nothing is added unless greater than {@code from}
   */
  public void add(String jobKey, long from, long to) {
    if (to <= from) {
      return;
    }
    TreeMap<Long, Long> ranges = byJob.computeIfAbsent(jobKey, k -> new TreeMap<>());
    Map.Entry<Long, Long> before = ranges.floorEntry(from);
    if (before != null && before.getValue() >= from) {
      from = before.getKey();
      to = Math.max(to, before.getValue());
    }
    Map.Entry<Long, Long> next;
    while ((next = ranges.ceilingEntry(from)) != null && next.getKey() <= to) {
      to = Math.max(to, next.getValue());
      ranges.remove(next.getKey());
    }
    ranges.put(from, to);
  }

  /**
   * Whether record {@code index} of {@code jobKey} is in the set.
   *
   * @param jobKey the job's key, {@code P/S/J}
   * @param index the record's index in its job
   * @return whether the set holds it
   */
  public boolean contains(String jobKey, long index) {
    TreeMap<Long, Long> ranges = byJob.get(jobKey);
    if (ranges == null) {
      return false;
    }
    Map.Entry<Long, Long> e = ranges.floorEntry(index);
    return e != null && index < e.getValue();
  }

  /**
   * Whether any record of {@code [from, to)} of {@code jobKey} is in the set.
   *
   * @param jobKey the job's key, {@code P/S/J}
   * @param from the first index
   * @param to the index after the last
   * @return whether the two overlap
   */
  public boolean overlaps(String jobKey, long from, long to) {
    TreeMap<Long, Long> ranges = byJob.get(jobKey);
    if (ranges == null || to <= from) {
      return false;
    }
    Map.Entry<Long, Long> e = ranges.lowerEntry(to);
    return e != null && e.getValue() > from;
  }

  /**
   * The parts of {@code [from, to)} of {@code jobKey} that are not in the set, in order.
   *
   * @param jobKey the job's key, {@code P/S/J}
   * @param from the first index
   * @param to the index after the last
   * @return the ranges left to read; all of {@code [from, to)} for a job the set lacks
   */
  public List<OffsetRange> gaps(String jobKey, long from, long to) {
    List<OffsetRange> out = new ArrayList<>();
    TreeMap<Long, Long> ranges = byJob.getOrDefault(jobKey, new TreeMap<>());
    long at = from;
    Map.Entry<Long, Long> before = ranges.floorEntry(from);
    if (before != null && before.getValue() > at) {
      at = before.getValue();
    }
    for (Map.Entry<Long, Long> r : ranges.subMap(from, false, to, false).entrySet()) {
      if (r.getKey() > at) {
        out.add(new OffsetRange(at, r.getKey()));
      }
      at = Math.max(at, r.getValue());
    }
    if (at < to) {
      out.add(new OffsetRange(at, to));
    }
    return out;
  }

  /**
   * How many records the set holds, over every job.
   *
   * @return the number of records
   */
  public long count() {
    long n = 0;
    for (TreeMap<Long, Long> ranges : byJob.values()) {
      for (Map.Entry<Long, Long> e : ranges.entrySet()) {
        n += e.getValue() - e.getKey();
      }
    }
    return n;
  }

  /**
   * How many jobs have at least one record in the set.
   *
   * @return the number of jobs
   */
  public int jobs() {
    return byJob.size();
  }

  /**
   * Whether the set holds no record.
   *
   * @return true for an empty set
   */
  public boolean isEmpty() {
    return byJob.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecordRanges r && byJob.equals(r.byJob);
  }

  @Override
  public int hashCode() {
    return byJob.hashCode();
  }

  @Override
  public String toString() {
    return count() + " records of " + jobs() + " jobs";
  }
}
