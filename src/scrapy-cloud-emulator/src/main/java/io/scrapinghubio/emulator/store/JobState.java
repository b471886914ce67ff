package io.scrapinghubio.emulator.store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One job: its key, its metadata dict (what {@code GET jobs/P/S/J} returns, including
 * {@code state}) and the bookkeeping JobQ needs to order jobs.
 *
 * <p>All mutation goes through {@link JobQueue} (and {@link JobMetadataEdits}), which hold the project's job lock; getters return
 * copies so callers never see a half-applied update.
 */
public final class JobState {
  /** A job waiting to run. */
  public static final String PENDING = "pending";
  /** A job running. */
  public static final String RUNNING = "running";
  /** A job that ended (its close reason says how). */
  public static final String FINISHED = "finished";
  /** A deleted job: its metadata stays, its data is gone. */
  public static final String DELETED = "deleted";

  private final long project;
  private final int spiderId;
  private final int number;
  private final String key;
  final LinkedHashMap<String, Object> meta = new LinkedHashMap<>();
  /** Time of the latest state change; JobQ lists are ordered by it, newest first. */
  long ts;
  /** Tie-breaker for {@link #ts}: a per-project counter bumped on every state change. */
  long seq;
  /** Per-job token handed out by push/startjob for running jobs (JWT look-alike). */
  String auth;
  /** JobQ {@code unique} value; an active job with the same value blocks a new push. */
  String unique;
  /** Set while the job is a simulated crawl (see {@link SimulatedCrawlRunner}); null otherwise. */
  CrawlPlan crawl;

  JobState(long project, int spiderId, int number) {
    this.project = project;
    this.spiderId = spiderId;
    this.number = number;
    this.key = project + "/" + spiderId + "/" + number;
  }

  /**
   * The job's project.
   *
   * @return the project id
   */
  public long project() {
    return project;
  }

  /**
   * The job's spider.
   *
   * @return the spider's numeric id
   */
  public int spiderId() {
    return spiderId;
  }

  /**
   * The job's number within its spider.
   *
   * @return the number
   */
  public int number() {
    return number;
  }

  /**
   * {@code P/S/J}.
   *
   * @return the key
   */
  public String key() {
    return key;
  }

  /**
   * The job's state.
   *
   * @return pending, running, finished or deleted
   */
  public synchronized String state() {
    return (String) meta.get("state");
  }

  /**
   * The job's metadata, as {@code jobs/P/S/J} answers it.
   *
   * @return a copy
   */
  public synchronized Map<String, Object> metadata() {
    return new LinkedHashMap<>(meta);
  }

  /**
   * One metadata field.
   *
   * @param field the field's name
   * @return its value, or null
   */
  public synchronized Object get(String field) {
    return meta.get(field);
  }

  /** A numeric metadata field as an int ({@code priority}, {@code units}), or {@code dflt} when absent or not a number. */
  synchronized int intField(String field, int dflt) {
    Object v = meta.get(field);
    return v instanceof Number ? ((Number) v).intValue() : dflt;
  }

  /** A numeric metadata field as a long (a {@code *_time}), or {@code dflt} when absent or not a number. */
  synchronized long longField(String field, long dflt) {
    Object v = meta.get(field);
    return v instanceof Number ? ((Number) v).longValue() : dflt;
  }

  /**
   * Time of the latest state change; job queue lists are ordered by it, newest first.
   *
   * @return epoch milliseconds
   */
  public synchronized long ts() {
    return ts;
  }

  synchronized long seq() {
    return seq;
  }

  /**
   * The per-job token that JobQ {@code push}/{@code startjob} handed out for the running job.
   *
   * @return the token, or null
   */
  public synchronized String auth() {
    return auth;
  }

  /**
   * Whether the job is a simulated crawl that has not ended yet.
   *
   * @return true while a simulated crawl runs
   */
  public synchronized boolean simulated() {
    return crawl != null;
  }

  /** Sortable id: spider then job number. */
  long sortKey() {
    return JobQueue.packedKey(spiderId, number);
  }
}
