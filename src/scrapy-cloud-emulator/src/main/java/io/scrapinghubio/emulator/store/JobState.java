package io.scrapinghubio.emulator.store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One job: its key, its metadata dict (what {@code GET jobs/P/S/J} returns, including
 * {@code state}) and the bookkeeping JobQ needs to order jobs.
 *
 * <p>All mutation goes through {@link ProjectState}, which holds the project lock; getters return
 * copies so callers never see a half-applied update.
 */
public final class JobState {
  public static final String PENDING = "pending";
  public static final String RUNNING = "running";
  public static final String FINISHED = "finished";
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
  /** Set while the job is a simulated crawl (see {@link CrawlSimulator}); null otherwise. */
  CrawlSimulator.Plan crawl;

  JobState(long project, int spiderId, int number) {
    this.project = project;
    this.spiderId = spiderId;
    this.number = number;
    this.key = project + "/" + spiderId + "/" + number;
  }

  public long project() {
    return project;
  }

  public int spiderId() {
    return spiderId;
  }

  public int number() {
    return number;
  }

  /** {@code P/S/J}. */
  public String key() {
    return key;
  }

  public synchronized String state() {
    return (String) meta.get("state");
  }

  public synchronized Map<String, Object> metadata() {
    return new LinkedHashMap<>(meta);
  }

  public synchronized Object get(String field) {
    return meta.get(field);
  }

  public synchronized long ts() {
    return ts;
  }

  synchronized long seq() {
    return seq;
  }

  public synchronized String auth() {
    return auth;
  }

  /** Whether the job is a simulated crawl that has not ended yet. */
  public synchronized boolean simulated() {
    return crawl != null;
  }

  /** Sortable id: spider then job number. */
  long sortKey() {
    return ((long) spiderId << 32) | number;
  }
}
