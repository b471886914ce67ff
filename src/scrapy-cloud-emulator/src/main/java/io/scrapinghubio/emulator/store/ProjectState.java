package io.scrapinghubio.emulator.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Everything the service keeps for one project, one part per concern: its {@linkplain #spiders()
 * spiders}, its {@linkplain #jobQueue() jobs}, their {@linkplain #jobMetadata() metadata edits} and
 * {@linkplain #records() record logs}, its {@linkplain #settings() settings}, activity, collections
 * and frontiers.
 *
 * <p>The few job and spider methods here are shortcuts that tests of every module use to set a
 * project up; the emulator's own code goes to the parts.
 */
public final class ProjectState {

  /** How a job enters the queue; the metadata the real service records differs. */
  public enum Origin {
    /** Dash {@code run.json}: adds spider_type, api_url, tags... */
    DASH,
    /** JobQ {@code push}: the lean hubstorage set. */
    JOBQ
  }

  private final long id;
  private final ProjectSpiders spiders;
  private final JobRecords records = new JobRecords();
  private final JobQueue jobQueue;
  private final JobMetadataEdits jobMetadata;
  private final ProjectSettings settings = new ProjectSettings();
  private final ActivityLog activity;
  private final CollectionStore collections;
  private final FrontierStore frontiers;
  private String name;

  ProjectState(long id, LongSupplier clock, Supplier<String> apiUrl) {
    this.id = id;
    this.name = "Project " + id;
    this.spiders = new ProjectSpiders(clock);
    this.jobQueue = new JobQueue(id, clock, apiUrl, records);
    this.jobMetadata = new JobMetadataEdits(jobQueue);
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
   * The project's spiders.
   *
   * @return the spiders
   */
  public ProjectSpiders spiders() {
    return spiders;
  }

  /**
   * The project's jobs and their life cycle.
   *
   * @return the job queue
   */
  public JobQueue jobQueue() {
    return jobQueue;
  }

  /**
   * Edits of the jobs' metadata and tags.
   *
   * @return the edits
   */
  public JobMetadataEdits jobMetadata() {
    return jobMetadata;
  }

  /**
   * The record logs of the project's jobs.
   *
   * @return the logs
   */
  public JobRecords records() {
    return records;
  }

  /**
   * The project's settings.
   *
   * @return the settings
   */
  public ProjectSettings settings() {
    return settings;
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

  // ------------------------------------------------- shortcuts tests use to set a project up

  /**
   * Deploys a spider (creating it if needed); see {@link ProjectSpiders#deploy}.
   *
   * @param spiderName the spider's name
   * @return the spider
   */
  public SpiderInfo addSpider(String spiderName) {
    return spiders.deploy(spiderName);
  }

  /**
   * Spider name for a numeric id; see {@link ProjectSpiders#nameOf}.
   *
   * @param sid the spider's id
   * @return the name
   */
  public String spiderName(int sid) {
    return spiders.nameOf(sid);
  }

  /**
   * Creates a job; see {@link JobQueue#create}.
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
  public JobState createJob(SpiderInfo spider, String state, List<String> tags, int priority, int units,
      Map<String, Object> extra, Origin origin) {
    return jobQueue.create(spider, state, tags, priority, units, extra, origin);
  }

  /**
   * Moves a job to a new state and merges extra metadata; see {@link JobQueue#update}.
   *
   * @param job the job
   * @param newState the new state, or null to only merge
   * @param extra metadata to merge
   * @return the previous state
   */
  public String updateJob(JobState job, String newState, Map<String, Object> extra) {
    return jobQueue.update(job, newState, extra);
  }

  /**
   * Adds and removes tags of a job; see {@link JobMetadataEdits#updateTags}.
   *
   * @param job the job
   * @param add tags to add
   * @param remove tags to remove
   */
  public void updateTags(JobState job, List<String> add, List<String> remove) {
    jobMetadata.updateTags(job, add, remove);
  }

  /**
   * The job with this spider id and number.
   *
   * @param spiderId the spider's id
   * @param number the job's number
   * @return the job, or empty
   */
  public Optional<JobState> job(int spiderId, int number) {
    return jobQueue.job(spiderId, number);
  }

  /**
   * All jobs, oldest key first.
   *
   * @return the jobs, a copy
   */
  public List<JobState> jobs() {
    return jobQueue.all();
  }
}
