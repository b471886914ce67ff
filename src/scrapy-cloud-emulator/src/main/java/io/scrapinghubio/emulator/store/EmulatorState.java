package io.scrapinghubio.emulator.store;

import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import io.scrapinghubio.emulator.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongSupplier;

/**
 * The whole in-memory service: projects by id. Also the test-facing API for setting up state
 * without HTTP ({@link #addJob}, {@link #appendItems}...) and for assertions ({@link #job},
 * {@link #stats}).
 *
 * <p>Projects exist only once configured: the demo data's project, the ones named when the
 * emulator starts, or ones a test adds with {@link #project(long)}. Requests never create a
 * project; the HTTP front refuses other ids as the real service refuses a project the key cannot
 * see.
 */
public final class EmulatorState {

  private final ConcurrentSkipListMap<Long, ProjectState> projects = new ConcurrentSkipListMap<>();
  private volatile LongSupplier clock = System::currentTimeMillis;
  private volatile String apiUrl = "http://127.0.0.1/api/";
  private volatile CrawlSimulation crawls;

  /**
   * Turns crawl simulation on (or off with null) for jobs scheduled from now on.
   *
   * @param sim the simulation, or null
   */
  public void crawlSimulation(CrawlSimulation sim) {
    this.crawls = sim;
  }

  /**
   * The crawl simulation, or null when jobs stay where they are put.
   *
   * @return the simulation, or null
   */
  public CrawlSimulation crawlSimulation() {
    return crawls;
  }

  /** Advances every simulated crawl to {@link #now()} (no-op without a simulation). */
  public void advanceCrawls() {
    CrawlSimulation sim = crawls;
    if (sim == null) {
      return;
    }
    long now = now();
    for (ProjectState p : projects.values()) {
      SimulatedCrawlRunner.advance(p, sim, now);
    }
  }

  /**
   * Whether the project can start another job now: always without a simulation; with one, while
   * its running units are below the simulation's capacity.
   *
   * @param p the project
   * @return true when a job may start
   */
  public boolean hasCapacity(ProjectState p) {
    CrawlSimulation sim = crawls;
    return sim == null || p.jobQueue().runningUnits() < sim.unitsCapacity();
  }

  /**
   * Current time in epoch ms, as the emulator sees it.
   *
   * @return epoch milliseconds
   */
  public long now() {
    return clock.getAsLong();
  }

  /**
   * Replaces the clock (e.g. a fixed time for deterministic tests).
   *
   * @param clock the time source, epoch ms
   */
  public void clock(LongSupplier clock) {
    this.clock = clock;
  }

  /**
   * Sets the dash URL that job metadata records ({@code api_url}), also in the jobs that recorded
   * the previous one: the emulator seeds demo data before it binds its port (so that no client sees
   * half the data), and a port the system picks is known only once bound.
   *
   * @param apiUrl the dash API's base URL
   */
  public synchronized void apiUrl(String apiUrl) {
    String previous = this.apiUrl;
    this.apiUrl = apiUrl;
    for (ProjectState p : projects.values()) {
      p.jobQueue().rewriteRecordedApiUrl(previous);
    }
  }

  /**
   * The project {@code id}, created (empty) if it does not exist yet: the test API's way to
   * configure a project, as creating it in the dashboard would.
   *
   * @param id the project id
   * @return the project
   */
  public ProjectState project(long id) {
    return projects.computeIfAbsent(id, k -> new ProjectState(k, () -> clock.getAsLong(), () -> this.apiUrl));
  }

  /**
   * The project {@code id}, without creating it.
   *
   * @param id the project id
   * @return the project, or empty when it does not exist
   */
  public Optional<ProjectState> findProject(long id) {
    return Optional.ofNullable(projects.get(id));
  }

  /**
   * Every project.
   *
   * @return the projects, a copy
   */
  public List<ProjectState> projects() {
    return new ArrayList<>(projects.values());
  }

  /** Forgets everything. */
  public void clear() {
    projects.clear();
  }

  // ------------------------------------------------------------ test conveniences

  /**
   * Creates (or returns) a spider.
   *
   * @param project the project id
   * @param spider the spider's name
   * @return the spider, deployed
   */
  public SpiderInfo addSpider(long project, String spider) {
    return project(project).addSpider(spider);
  }

  /**
   * Creates a job as {@code run.json} would, directly in {@code state}, with extra metadata.
   *
   * @param project the project id (created if missing)
   * @param spider the spider's name (deployed if missing)
   * @param state the job's state, e.g. {@code finished}
   * @param meta metadata merged into what the service records
   * @return the job; its key is {@code job.key()}
   */
  public JobState addJob(long project, String spider, String state, Map<String, Object> meta) {
    ProjectState p = project(project);
    return p.createJob(p.addSpider(spider), state, List.of(), 2, 1, meta, ProjectState.Origin.DASH);
  }

  /**
   * Moves a job to another state (e.g. finished), as JobQ {@code update} does.
   *
   * @param jobKey the job, {@code P/S/J}
   * @param state the new state
   */
  public void setJobState(String jobKey, String state) {
    JobKey k = JobKey.parse(jobKey);
    ProjectState p = project(k.project());
    p.updateJob(p.job(k.spider(), k.job()).orElseThrow(), state, Map.of());
  }

  /**
   * The job {@code jobKey}.
   *
   * @param jobKey the job, {@code P/S/J}
   * @return the job, or empty when it does not exist
   */
  public Optional<JobState> job(String jobKey) {
    JobKey k = JobKey.parse(jobKey);
    return findProject(k.project()).flatMap(p -> p.job(k.spider(), k.job()));
  }

  /**
   * Appends records; each element is a Map/List (JSON value) or a JSON string.
   *
   * @param jobKey the job, {@code P/S/J}
   * @param type which record log
   * @param records the records
   * @return the index of the first appended record
   */
  public long append(String jobKey, RecordType type, List<?> records) {
    JobKey k = JobKey.parse(jobKey);
    RecordLog log = project(k.project()).records().of(k.spider(), k.job(), type);
    long now = now();
    long first = -1;
    for (Object r : records) {
      Object value = r instanceof String ? Json.parse((String) r) : r;
      long i = log.append(RecordCodec.encode(type, value), now);
      if (first < 0) {
        first = i;
      }
    }
    return first;
  }

  /**
   * Appends items; see {@link #append}.
   *
   * @param jobKey the job, {@code P/S/J}
   * @param items each a Map (JSON object) or a JSON string
   * @return the index of the first appended item
   */
  public long appendItems(String jobKey, List<?> items) {
    return append(jobKey, RecordType.ITEMS, items);
  }

  /**
   * A job's record log, created empty on first use.
   *
   * @param jobKey the job, {@code P/S/J}
   * @param type which record log
   * @return the log, to read or append to
   */
  public RecordLog records(String jobKey, RecordType type) {
    JobKey k = JobKey.parse(jobKey);
    return project(k.project()).records().of(k.spider(), k.job(), type);
  }

  /**
   * A job's record statistics, as {@code items/P/S/J/stats} answers them.
   *
   * @param jobKey the job, {@code P/S/J}
   * @param type which record log
   * @return the statistics; empty when nothing was written
   */
  public RecordStats stats(String jobKey, RecordType type) {
    JobKey k = JobKey.parse(jobKey);
    return findProject(k.project())
        .map(p -> p.records().stats(k.spider(), k.job(), type))
        .orElse(RecordStats.EMPTY);
  }
}
