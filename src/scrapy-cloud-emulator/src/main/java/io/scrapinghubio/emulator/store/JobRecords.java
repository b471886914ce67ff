package io.scrapinghubio.emulator.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The record logs (items, logs, requests, samples) of a project's jobs, keyed by spider id and job
 * number packed in one long so that a spider's jobs are one contiguous range.
 *
 * <p>No lock of its own: the map is concurrent and each {@link RecordLog} locks itself, so reading
 * or writing a large job never blocks the job queue nor another job.
 */
public final class JobRecords {
  private final ConcurrentSkipListMap<Long, RecordLog[]> logs = new ConcurrentSkipListMap<>();

  JobRecords() {}

  /**
   * The record log of a job, created empty on first use (writes to unknown jobs are accepted).
   *
   * @param spiderId the spider's id
   * @param number the job's number
   * @param type which record log
   * @return the log
   */
  public RecordLog of(int spiderId, int number, RecordType type) {
    return logs.computeIfAbsent(JobQueue.packedKey(spiderId, number), k -> newLogs())[type.ordinal()];
  }

  /**
   * The record log if anything was ever written or read there.
   *
   * @param spiderId the spider's id
   * @param number the job's number
   * @param type which record log
   * @return the log, or empty
   */
  public Optional<RecordLog> existing(int spiderId, int number, RecordType type) {
    RecordLog[] job = logs.get(JobQueue.packedKey(spiderId, number));
    return job == null ? Optional.empty() : Optional.of(job[type.ordinal()]);
  }

  /**
   * Record logs of all jobs (optionally one spider) in key order, for project-level reads.
   *
   * @param type which record log
   * @param spiderId a spider's id, or null for all
   * @return the logs, each with its job's spider id and number packed in one long
   */
  public List<Map.Entry<Long, RecordLog>> allOf(RecordType type, Integer spiderId) {
    List<Map.Entry<Long, RecordLog>> out = new ArrayList<>();
    Map<Long, RecordLog[]> range = spiderId == null
        ? logs : logs.subMap(JobQueue.packedKey(spiderId, 0), true, ((long) spiderId << 32) | 0xffffffffL, true);
    for (Map.Entry<Long, RecordLog[]> e : range.entrySet()) {
      out.add(Map.entry(e.getKey(), e.getValue()[type.ordinal()]));
    }
    return out;
  }

  /**
   * Stats of a job's records; empty if nothing was written.
   *
   * @param spiderId the spider's id
   * @param number the job's number
   * @param type which record log
   * @return the statistics
   */
  public RecordStats stats(int spiderId, int number, RecordType type) {
    return existing(spiderId, number, type).map(RecordLog::stats).orElse(RecordStats.EMPTY);
  }

  /**
   * What a job has stored, as the platform's runner counts it for the job's summary.
   *
   * @param job the job
   * @return its counts
   */
  public RunCounts counts(JobState job) {
    RecordStats logLines = stats(job.spiderId(), job.number(), RecordType.LOGS);
    return new RunCounts(
        stats(job.spiderId(), job.number(), RecordType.ITEMS).inputValues(),
        stats(job.spiderId(), job.number(), RecordType.REQUESTS).inputValues(),
        logLines.inputValues(),
        logLines.errorCount());
  }

  private static RecordLog[] newLogs() {
    RecordType[] types = RecordType.values();
    RecordLog[] job = new RecordLog[types.length];
    for (RecordType t : types) {
      job[t.ordinal()] = new RecordLog(t);
    }
    return job;
  }
}
