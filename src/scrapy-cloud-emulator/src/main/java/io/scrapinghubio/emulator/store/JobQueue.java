package io.scrapinghubio.emulator.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A project's jobs and their life cycle: creation with the metadata the service records, state
 * changes with their timestamps, JobQ's queue order and its {@code unique}/duplicate checks.
 *
 * <p>Its monitor is the project's job lock: every change takes it (they are cheap), and so do
 * {@link JobMetadataEdits} and {@link SimulatedCrawlRunner}, so that the queue never shows a
 * half-applied step. Reads of one job take only that job's monitor.
 */
public final class JobQueue {

  /** Who the emulator claims did things ({@code scheduled_by}, {@code started_by}...). */
  static final String ACTOR = "admin";

  private final long project;
  private final LongSupplier clock;
  /** The dash URL jobs scheduled through it record; read when a job is created (see {@link EmulatorState#apiUrl}). */
  private final Supplier<String> apiUrl;
  private final JobRecords records;
  private final Map<Integer, Integer> lastJobNumber = new HashMap<>();
  private final ConcurrentSkipListMap<Long, JobState> jobs = new ConcurrentSkipListMap<>();
  private long stateSeq;

  JobQueue(long project, LongSupplier clock, Supplier<String> apiUrl, JobRecords records) {
    this.project = project;
    this.clock = clock;
    this.apiUrl = apiUrl;
    this.records = records;
  }

  /** Spider id and job number in one long, ordered as job keys are (a spider's jobs are one range). */
  static long packedKey(int spiderId, int number) {
    return ((long) spiderId << 32) | number;
  }

  /**
   * Creates a job in the given initial state with the metadata the real service records.
   *
   * @param spider the job's spider
   * @param state the initial state
   * @param tags the job's tags
   * @param priority the job's priority
   * @param units the units it takes
   * @param extra metadata merged last (custom meta, spider_args, ...)
   * @param origin who scheduled it, which decides the metadata recorded
   * @return the job
   */
  public synchronized JobState create(SpiderInfo spider, String state, List<String> tags, int priority, int units,
      Map<String, Object> extra, ProjectState.Origin origin) {
    int number = lastJobNumber.merge(spider.id(), 1, Integer::sum);
    JobState job = new JobState(project, spider.id(), number);
    synchronized (job) {
      NewJobMetadata.fill(job.meta, project, spider, state, tags, priority, units, origin, apiUrl.get());
      stampState(job, state, clock.getAsLong());
      job.meta.putAll(extra);
    }
    jobs.put(job.sortKey(), job);
    return job;
  }

  /**
   * Puts the current dash URL into the jobs that recorded {@code previous} as theirs (fields
   * {@code api_url} and {@code portia_url}); other jobs' metadata is left as it was given.
   */
  synchronized void rewriteRecordedApiUrl(String previous) {
    String current = apiUrl.get();
    for (JobState job : jobs.values()) {
      synchronized (job) {
        if (previous.equals(job.meta.get("api_url"))) {
          job.meta.put("api_url", current);
          job.meta.put("portia_url", NewJobMetadata.portiaUrl(current));
        }
      }
    }
  }

  /**
   * Adds the timestamps and actor fields of entering {@code state}, the way the service does, and
   * hands a job entering running its token. The caller holds the job's monitor.
   */
  void stampState(JobState job, String state, long now) {
    Map<String, Object> m = job.meta;
    m.put("state", state);
    switch (state) {
      case JobState.PENDING:
        m.put("pending_time", now);
        break;
      case JobState.RUNNING:
        m.put("started_by", ACTOR);
        m.put("running_time", now);
        if (job.auth == null) {
          job.auth = JobToken.of(job.key());
        }
        break;
      case JobState.FINISHED:
        m.put("completed_by", ACTOR);
        m.put("finished_time", now);
        break;
      case JobState.DELETED:
        m.put("deleted_by", ACTOR);
        m.put("deleted_time", now);
        break;
      default:
        break;
    }
    job.ts = now;
    job.seq = ++stateSeq;
  }

  /**
   * Moves a job to a new state and merges extra metadata (JobQ {@code update}).
   *
   * @param job the job
   * @param newState the new state, or null to only merge
   * @param extra metadata to merge
   * @return the previous state
   */
  public synchronized String update(JobState job, String newState, Map<String, Object> extra) {
    synchronized (job) {
      String prev = (String) job.meta.get("state");
      job.meta.putAll(extra);
      if (newState != null) {
        stampState(job, newState, clock.getAsLong());
      }
      return prev;
    }
  }

  /**
   * Cancels a job: a pending one is finished at once (close_reason {@code cancelled}); a running
   * one only gets {@code cancelled_by} (the real runner stops it asynchronously).
   *
   * @param job the job
   * @return whether the job was pending or running
   */
  public synchronized boolean cancel(JobState job) {
    synchronized (job) {
      String st = (String) job.meta.get("state");
      if (JobState.PENDING.equals(st)) {
        job.meta.put("cancelled_by", ACTOR);
        job.meta.put("close_reason", "cancelled");
        stampState(job, JobState.FINISHED, clock.getAsLong());
        return true;
      }
      if (JobState.RUNNING.equals(st)) {
        job.meta.put("cancelled_by", ACTOR);
        return true;
      }
      return false;
    }
  }

  /**
   * Records what the platform's runner writes when a job it ran ends: the close reason and the
   * {@code items}, {@code logs}, {@code pages} (requests) and {@code errors} (log lines at ERROR and
   * above) counters that job listings then show. Only jobs the "platform" ran get them (demo jobs,
   * simulated crawls); a job a client finishes through JobQ has none, as on the real service.
   *
   * @param job the job that ended
   * @param closeReason its close reason
   */
  public void recordRunOutcome(JobState job, String closeReason) {
    RunCounts counts = records.counts(job); // outside the lock: counting reads the record logs
    synchronized (this) {
      synchronized (job) {
        job.meta.put("close_reason", closeReason);
        job.meta.put("items", counts.items());
        job.meta.put("logs", counts.logs());
        job.meta.put("pages", counts.pages());
        job.meta.put("errors", counts.errors());
      }
    }
  }

  /**
   * Oldest pending job with the highest priority, moved to running ({@code startjob}).
   *
   * @param extra metadata to merge into the started job
   * @return the started job, or empty when none is pending
   */
  public synchronized Optional<JobState> startNext(Map<String, Object> extra) {
    Optional<JobState> next = pendingInStartOrder(jobs.values()).stream().findFirst();
    next.ifPresent(j -> {
      update(j, JobState.RUNNING, extra);
      synchronized (j) {
        j.meta.put("_shub_worker", "kumo");
      }
    });
    return next;
  }

  /**
   * The pending jobs among {@code candidates} in the order a runner starts them: highest priority
   * first, then the oldest state change.
   */
  static List<JobState> pendingInStartOrder(Iterable<JobState> candidates) {
    List<JobState> pending = new ArrayList<>();
    for (JobState j : candidates) {
      if (JobState.PENDING.equals(j.state())) {
        pending.add(j);
      }
    }
    pending.sort(Comparator.comparingInt((JobState j) -> -j.intField("priority", 2)).thenComparingLong(JobState::seq));
    return pending;
  }

  /**
   * The job with this spider id and number.
   *
   * @param spiderId the spider's id
   * @param number the job's number
   * @return the job, or empty
   */
  public Optional<JobState> job(int spiderId, int number) {
    return Optional.ofNullable(jobs.get(packedKey(spiderId, number)));
  }

  /**
   * All jobs, oldest key first.
   *
   * @return the jobs, a copy
   */
  public List<JobState> all() {
    return new ArrayList<>(jobs.values());
  }

  /**
   * Jobs in JobQ order: most recent state change first.
   *
   * @return the jobs, a copy
   */
  public List<JobState> newestFirst() {
    List<JobState> list = all();
    list.sort(Comparator.comparingLong(JobState::seq).reversed());
    return list;
  }

  /**
   * Units of the running jobs.
   *
   * @return the units
   */
  public synchronized int runningUnits() {
    int units = 0;
    for (JobState j : jobs.values()) {
      if (JobState.RUNNING.equals(j.state())) {
        units += j.intField("units", 1);
      }
    }
    return units;
  }

  /**
   * Whether the job exists and was deleted. The real service keeps a deleted job's metadata
   * (recorded: {@code jobs/P/S/J} answers with {@code state: deleted}) but not its data, which reads
   * then answer as for a job that never had any.
   *
   * @param spiderId the spider's id
   * @param number the job's number
   * @return true for a deleted job
   */
  public boolean deleted(int spiderId, int number) {
    return job(spiderId, number).map(j -> JobState.DELETED.equals(j.state())).orElse(false);
  }

  /**
   * Whether an active (pending/running) job of this spider has the same spider arguments.
   *
   * @param spider the spider
   * @param spiderArgs the new job's spider arguments
   * @return true when {@code run.json} must answer DuplicateJob
   */
  public synchronized boolean hasActiveDuplicate(SpiderInfo spider, Map<String, Object> spiderArgs) {
    for (JobState j : jobs.values()) {
      if (j.spiderId() == spider.id() && active(j)) {
        Object args = j.get("spider_args");
        Map<?, ?> a = args instanceof Map ? (Map<?, ?>) args : Map.of();
        if (a.equals(spiderArgs)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether an active job carries this JobQ {@code unique} value.
   *
   * @param unique the value
   * @return true when a new push with it is refused
   */
  public synchronized boolean hasActiveUnique(String unique) {
    for (JobState j : jobs.values()) {
      if (Objects.equals(j.unique, unique) && active(j)) {
        return true;
      }
    }
    return false;
  }

  private static boolean active(JobState j) {
    String st = j.state();
    return JobState.PENDING.equals(st) || JobState.RUNNING.equals(st);
  }

  /**
   * Records the JobQ {@code unique} value of a pushed job.
   *
   * @param job the job
   * @param unique the value
   */
  public synchronized void markUnique(JobState job, String unique) {
    synchronized (job) {
      job.unique = unique;
    }
  }
}
