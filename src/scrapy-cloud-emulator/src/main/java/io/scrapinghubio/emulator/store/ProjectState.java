package io.scrapinghubio.emulator.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Everything the service keeps for one project: spiders, jobs and their metadata, the per-job
 * record logs, settings, activity, collections and frontiers.
 *
 * <p>Job and spider operations take the project lock (they are cheap); record logs have their own
 * locks so that reading or writing a large job never blocks the job queue.
 */
public final class ProjectState {

  /** Who the emulator claims did things ({@code scheduled_by}, {@code started_by}...). */
  static final String ACTOR = "admin";

  private final long id;
  private final LongSupplier clock;
  /** The dash URL jobs scheduled through it record; read when a job is created (see {@link EmulatorState#apiUrl}). */
  private final Supplier<String> apiUrl;
  private final Map<String, SpiderInfo> spidersByName = new LinkedHashMap<>();
  private final Map<Integer, SpiderInfo> spidersById = new HashMap<>();
  private final Map<Integer, Integer> lastJobNumber = new HashMap<>();
  private final ConcurrentSkipListMap<Long, JobState> jobs = new ConcurrentSkipListMap<>();
  private final ConcurrentSkipListMap<Long, RecordLog[]> records = new ConcurrentSkipListMap<>();
  private final Map<String, Object> settings = new LinkedHashMap<>();
  private final ActivityLog activity;
  private final CollectionStore collections;
  private final FrontierStore frontiers;
  private long stateSeq;
  private String name;

  ProjectState(long id, LongSupplier clock, Supplier<String> apiUrl) {
    this.id = id;
    this.clock = clock;
    this.apiUrl = apiUrl;
    this.name = "Project " + id;
    this.activity = new ActivityLog(clock);
    this.collections = new CollectionStore(clock);
    this.frontiers = new FrontierStore();
  }

  /**
   * The project's id.
   *
   * @return the id
   */
  public long id() {
    return id;
  }

  /**
   * The project's name, as the dash lists it.
   *
   * @return the name
   */
  public synchronized String name() {
    return name;
  }

  /**
   * Renames the project.
   *
   * @param name the new name
   */
  public synchronized void name(String name) {
    this.name = name;
  }

  /**
   * The project's activity events.
   *
   * @return the log
   */
  public ActivityLog activity() {
    return activity;
  }

  /**
   * The project's collections.
   *
   * @return the store
   */
  public CollectionStore collections() {
    return collections;
  }

  /**
   * The project's frontiers.
   *
   * @return the store
   */
  public FrontierStore frontiers() {
    return frontiers;
  }

  long now() {
    return clock.getAsLong();
  }

  // ---------------------------------------------------------------- spiders

  /**
   * The spider with this name, given the next numeric id if missing and {@code create} (as JobQ
   * push and {@code ids/P/spider/N?create=1} do); such a spider is not deployed.
   *
   * @param spiderName the spider's name
   * @param create whether to create it when missing
   * @return the spider, or empty
   */
  public synchronized Optional<SpiderInfo> spider(String spiderName, boolean create) {
    SpiderInfo s = spidersByName.get(spiderName);
    if (s == null && create) {
      int sid = spidersById.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
      s = new SpiderInfo(sid, spiderName, now());
      spidersByName.put(spiderName, s);
      spidersById.put(sid, s);
    }
    return Optional.ofNullable(s);
  }

  /**
   * Deploys a spider (creating it if needed): the dash knows it from now on.
   *
   * @param spiderName the spider's name
   * @return the spider
   */
  public synchronized SpiderInfo addSpider(String spiderName) {
    SpiderInfo s = spider(spiderName, true).orElseThrow();
    s.markDeployed();
    return s;
  }

  /**
   * The deployed spider with this name, if any (what {@code run.json} may schedule).
   *
   * @param spiderName the spider's name
   * @return the spider, or empty when not deployed
   */
  public synchronized Optional<SpiderInfo> deployedSpider(String spiderName) {
    return Optional.ofNullable(spidersByName.get(spiderName)).filter(SpiderInfo::deployed);
  }

  /**
   * Deployed spiders, in creation order ({@code spiders/list.json}).
   *
   * @return the spiders
   */
  public synchronized List<SpiderInfo> deployedSpiders() {
    return spidersByName.values().stream().filter(SpiderInfo::deployed).toList();
  }

  /**
   * The spider with this numeric id.
   *
   * @param sid the spider's id
   * @return the spider, or empty
   */
  public synchronized Optional<SpiderInfo> spiderById(int sid) {
    return Optional.ofNullable(spidersById.get(sid));
  }

  /**
   * Every spider, deployed or only given an id by JobQ.
   *
   * @return the spiders, a copy
   */
  public synchronized List<SpiderInfo> spiders() {
    return new ArrayList<>(spidersByName.values());
  }

  /**
   * Spider name for a numeric id; unknown ids (records written to unknown jobs) get a placeholder.
   *
   * @param sid the spider's id
   * @return the name
   */
  public synchronized String spiderName(int sid) {
    SpiderInfo s = spidersById.get(sid);
    return s == null ? "spider-" + sid : s.name();
  }

  // ---------------------------------------------------------------- jobs

  /** How a job enters the queue; the metadata the real service records differs. */
  public enum Origin {
    /** Dash {@code run.json}: adds spider_type, api_url, tags... */
    DASH,
    /** JobQ {@code push}: the lean hubstorage set. */
    JOBQ
  }

  /**
   * Creates a job in the given initial state with the metadata the real service records.
   *
   * @param spider the job's spider
   * @param state the initial state
   * @param tags the job's tags
   * @param priority the job's priority
   * @param units the units it takes
   * @param origin who scheduled it, which decides the metadata recorded
   * @return the job
   * @param extra metadata merged last (custom meta, spider_args, ...)
   */
  public JobState createJob(SpiderInfo spider, String state, List<String> tags, int priority, int units,
      Map<String, Object> extra, Origin origin) {
    synchronized (this) {
      int number = lastJobNumber.merge(spider.id(), 1, Integer::sum);
      JobState job = new JobState(id, spider.id(), number);
      long now = now();
      synchronized (job) {
        Map<String, Object> m = job.meta;
        if (origin == Origin.DASH) {
          m.put("scheduled_by", ACTOR);
          m.put("units", units);
          m.put("state", state);
          m.put("priority", priority);
          m.put("tags", new ArrayList<>(tags));
          m.put("spider_type", "manual");
          m.put("portia_stack_version", "latest");
          m.put("spider", spider.name());
          String dashUrl = apiUrl.get();
          m.put("portia_url", portiaUrl(dashUrl));
          m.put("api_url", dashUrl);
          m.put("project", id);
        } else {
          if (JobState.PENDING.equals(state)) {
            m.put("scheduled_by", ACTOR);
          }
          m.put("project", id);
          m.put("state", state);
          m.put("spider", spider.name());
          m.put("units", units);
          m.put("priority", priority);
          if (!tags.isEmpty()) {
            m.put("tags", new ArrayList<>(tags));
          }
        }
        stampState(job, state, now);
        for (Map.Entry<String, Object> e : extra.entrySet()) {
          m.put(e.getKey(), e.getValue());
        }
        if (JobState.RUNNING.equals(state)) {
          job.auth = token(job.key());
        }
      }
      jobs.put(job.sortKey(), job);
      return job;
    }
  }

  private static String portiaUrl(String dashUrl) {
    return dashUrl.replaceFirst("api/$", "portia/");
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
          job.meta.put("portia_url", portiaUrl(current));
        }
      }
    }
  }

  /** Adds the timestamps and actor fields of entering {@code state}, the way the service does. */
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
   * @param newState the new state
   * @param extra metadata to merge
   * @return the previous state
   */
  public synchronized String updateJob(JobState job, String newState, Map<String, Object> extra) {
    synchronized (job) {
      String prev = (String) job.meta.get("state");
      for (Map.Entry<String, Object> e : extra.entrySet()) {
        job.meta.put(e.getKey(), e.getValue());
      }
      if (newState != null) {
        stampState(job, newState, now());
        if (JobState.RUNNING.equals(newState) && job.auth == null) {
          job.auth = token(job.key());
        }
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
  public synchronized boolean cancelJob(JobState job) {
    synchronized (job) {
      String st = (String) job.meta.get("state");
      if (JobState.PENDING.equals(st)) {
        job.meta.put("cancelled_by", ACTOR);
        job.meta.put("close_reason", "cancelled");
        stampState(job, JobState.FINISHED, now());
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
    long items = recordStats(job.spiderId(), job.number(), RecordType.ITEMS).inputValues();
    long logs = recordStats(job.spiderId(), job.number(), RecordType.LOGS).inputValues();
    long pages = recordStats(job.spiderId(), job.number(), RecordType.REQUESTS).inputValues();
    long errors = recordStats(job.spiderId(), job.number(), RecordType.LOGS).errorCount();
    synchronized (this) {
      synchronized (job) {
        job.meta.put("close_reason", closeReason);
        job.meta.put("items", items);
        job.meta.put("logs", logs);
        job.meta.put("pages", pages);
        job.meta.put("errors", errors);
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
    Optional<JobState> next =
        jobs.values().stream()
            .filter(j -> JobState.PENDING.equals(j.state()))
            .min(Comparator.comparingInt((JobState j) -> -priority(j)).thenComparingLong(JobState::seq));
    next.ifPresent(j -> {
      updateJob(j, JobState.RUNNING, extra);
      synchronized (j) {
        j.meta.put("_shub_worker", "kumo");
      }
    });
    return next;
  }

  private static int priority(JobState j) {
    Object p = j.get("priority");
    return p instanceof Number ? ((Number) p).intValue() : 2;
  }

  /**
   * Replaces the whole metadata dict (POST jobs/P/S/J), keeping state and auth as the service does.
   *
   * @param job the job
   * @param newMeta the new metadata
   */
  public synchronized void replaceMetadata(JobState job, Map<String, Object> newMeta) {
    synchronized (job) {
      Object state = job.meta.get("state");
      job.meta.clear();
      job.meta.putAll(newMeta);
      job.meta.put("state", state);
    }
  }

  /**
   * Sets one metadata field of a job.
   *
   * @param job the job
   * @param field the field's name
   * @param value its new value
   */
  public synchronized void setMetadata(JobState job, String field, Object value) {
    synchronized (job) {
      job.meta.put(field, value);
    }
  }

  /**
   * Removes one metadata field of a job.
   *
   * @param job the job
   * @param field the field's name
   */
  public synchronized void deleteMetadata(JobState job, String field) {
    synchronized (job) {
      job.meta.remove(field);
    }
  }

  /**
   * Replaces the tag list of a job (dash jobs/update.json).
   *
   * @param job the job
   * @param add tags to add
   * @param remove tags to remove
   */
  public synchronized void updateTags(JobState job, List<String> add, List<String> remove) {
    synchronized (job) {
      @SuppressWarnings("unchecked")
      List<Object> tags = job.meta.get("tags") instanceof List
          ? new ArrayList<>((List<Object>) job.meta.get("tags")) : new ArrayList<>();
      for (String t : add) {
        if (!tags.contains(t)) {
          tags.add(t);
        }
      }
      tags.removeAll(remove);
      job.meta.put("tags", tags);
    }
  }

  /**
   * The job with this spider id and number.
   *
   * @param spiderId the spider's id
   * @param number the job's number
   * @return the job, or empty
   */
  public Optional<JobState> job(int spiderId, int number) {
    return Optional.ofNullable(jobs.get(((long) spiderId << 32) | number));
  }

  /**
   * All jobs, oldest key first.
   *
   * @return the jobs, a copy
   */
  public List<JobState> jobs() {
    return new ArrayList<>(jobs.values());
  }

  /**
   * Jobs in JobQ order: most recent state change first.
   *
   * @return the jobs, a copy
   */
  public List<JobState> jobsNewestFirst() {
    List<JobState> list = jobs();
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
        Object u = j.get("units");
        units += u instanceof Number ? ((Number) u).intValue() : 1;
      }
    }
    return units;
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
      if (j.spiderId() != spider.id()) {
        continue;
      }
      String st = j.state();
      if (!JobState.PENDING.equals(st) && !JobState.RUNNING.equals(st)) {
        continue;
      }
      Object args = j.get("spider_args");
      Map<?, ?> a = args instanceof Map ? (Map<?, ?>) args : Map.of();
      if (a.equals(spiderArgs)) {
        return true;
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
      String st = j.state();
      if (Objects.equals(j.unique, unique) && (JobState.PENDING.equals(st) || JobState.RUNNING.equals(st))) {
        return true;
      }
    }
    return false;
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

  /** JWT look-alike per-job token; only its shape matters to clients. */
  static String token(String jobKey) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String head = b64.encodeToString("{\"typ\":\"JWT\",\"alg\":\"HS256\"}".getBytes(StandardCharsets.UTF_8));
    String body = b64.encodeToString(("{\"aud\":\"job:" + jobKey + "\"}").getBytes(StandardCharsets.UTF_8));
    String sig = b64.encodeToString(Integer.toHexString(jobKey.hashCode() * 31 + 7).getBytes(StandardCharsets.UTF_8));
    return head + "." + body + "." + sig;
  }

  // ---------------------------------------------------------------- records

  /**
   * The record log of a job, created empty on first use (writes to unknown jobs are accepted).
   *
   * @param spiderId the spider's id
   * @param number the job's number
   * @param type which record log
   * @return the log
   */
  public RecordLog records(int spiderId, int number, RecordType type) {
    RecordLog[] logs = records.computeIfAbsent(((long) spiderId << 32) | number, k -> newLogs());
    return logs[type.ordinal()];
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
   * The record log if anything was ever written or read there.
   *
   * @param spiderId the spider's id
   * @param number the job's number
   * @param type which record log
   * @return the log, or empty
   */
  public Optional<RecordLog> existingRecords(int spiderId, int number, RecordType type) {
    RecordLog[] logs = records.get(((long) spiderId << 32) | number);
    return logs == null ? Optional.empty() : Optional.of(logs[type.ordinal()]);
  }

  /**
   * Record logs of all jobs (optionally one spider) in key order, for project-level reads.
   *
   * @param type which record log
   * @param spiderId a spider's id, or null for all
   * @return the logs, each with its job's spider id and number packed in one long
   */
  public List<Map.Entry<Long, RecordLog>> recordLogs(RecordType type, Integer spiderId) {
    List<Map.Entry<Long, RecordLog>> out = new ArrayList<>();
    Map<Long, RecordLog[]> range = spiderId == null
        ? records : records.subMap((long) spiderId << 32, true, ((long) spiderId << 32) | 0xffffffffL, true);
    for (Map.Entry<Long, RecordLog[]> e : range.entrySet()) {
      out.add(Map.entry(e.getKey(), e.getValue()[type.ordinal()]));
    }
    return out;
  }

  private static RecordLog[] newLogs() {
    RecordType[] types = RecordType.values();
    RecordLog[] logs = new RecordLog[types.length];
    for (RecordType t : types) {
      logs[t.ordinal()] = new RecordLog(t);
    }
    return logs;
  }

  /**
   * Stats of a job's records; empty if nothing was written.
   *
   * @param spiderId the spider's id
   * @param number the job's number
   * @param type which record log
   * @return the statistics
   */
  public RecordStats recordStats(int spiderId, int number, RecordType type) {
    return existingRecords(spiderId, number, type).map(RecordLog::stats).orElse(RecordStats.EMPTY);
  }

  // ---------------------------------------------------------------- settings

  /**
   * The project's settings.
   *
   * @return a copy
   */
  public synchronized Map<String, Object> settings() {
    return new LinkedHashMap<>(settings);
  }

  /**
   * Replaces every setting.
   *
   * @param s the new settings
   */
  public synchronized void replaceSettings(Map<String, Object> s) {
    settings.clear();
    settings.putAll(s);
  }

  /**
   * Sets one setting.
   *
   * @param k the setting's name
   * @param v its value
   */
  public synchronized void putSetting(String k, Object v) {
    settings.put(k, v);
  }

  /**
   * Removes one setting.
   *
   * @param k the setting's name
   */
  public synchronized void deleteSetting(String k) {
    settings.remove(k);
  }
}
