package io.scrapinghubio.beam.metrics;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.beam.sdk.annotations.Internal;

/**
 * What a bounded read plans to read, as its listing and sizing steps learn it in this JVM: the jobs
 * listed, the listings finished of those expected, the jobs sized (empty and missing ones too), and
 * the records and bytes those jobs hold. The plan is <em>complete</em> once every listing has
 * finished and every job listed has been sized: only then are its records the read's true total,
 * which is what a progress display may show as "of N". Until then they are a lower bound.
 *
 * <p>Per JVM, keyed by the read's progress name, like {@link ProgressLogger}'s lines. On one
 * machine (the Direct runner, embedded Flink) the listing and every sizing run in this JVM, and the
 * plan completes. On a cluster the listing runs on one worker and the sizing on many: a worker
 * that sized jobs it did not list never completes its plan, and neither does the one that listed
 * jobs others sized, so no worker claims a total it does not have. A {@code readAll()} has no
 * listing, its keys being the caller's: its plan is never complete either.
 *
 * <p>A listing that starts while the name's plan is complete (an earlier run's) starts a new plan;
 * one that starts while it is incomplete joins it (two reads of one name in a pipeline), so the
 * plan completes only once both have. A job sized twice (a retried bundle) makes the plan's jobs
 * sized exceed those listed, and it no longer counts as complete. The plan is forgotten when the
 * name's last reader leaves ({@link ProgressLogger#unregister}); watchers hear of completion as it
 * happens ({@link #whenComplete}), which is how a launcher in the same JVM learns the total even
 * if the run ends before it looks.
 */
@Internal
public final class ReadPlan {
  /**
   * The progress name of every bounded read, {@code read()} and {@code readAll()} alike: that of the
   * step that sizes and reads their jobs, under which their progress lines are logged.
   */
  public static final String BOUNDED_READ = "ReadJobs";

  private static final Map<String, ReadPlan> PLANS = new ConcurrentHashMap<>();
  private static final Map<String, Set<Consumer<ReadPlan>>> WATCHERS = new ConcurrentHashMap<>();

  private final String name;
  /** Listings expected; -1 when unknown (keys not listed here): the plan then never completes. */
  private int listingsExpected;
  private int listingsFinished;
  private long jobsListed;
  private long jobsSized;
  private long records;
  private long bytes;
  /** Whether the watchers have been told: once per plan. */
  private boolean announced;

  private ReadPlan(String name, int listingsExpected) {
    this.name = name;
    this.listingsExpected = listingsExpected;
  }

  /**
   * A listing of read {@code name} starts, one of {@code listings} that its step runs (one per
   * spider listed, or one for named jobs): a new plan, or a share of the current one while that is
   * incomplete.
   *
   * @param name the read's progress name
   * @param listings how many listings the starting step runs, at least 1
   */
  public static void listingStarts(String name, int listings) {
    if (listings < 1) {
      throw new IllegalArgumentException("listings must be >= 1, but was " + listings);
    }
    PLANS.compute(name, (n, plan) -> {
      if (plan == null || plan.isComplete()) {
        return new ReadPlan(n, listings);
      }
      synchronized (plan) {
        plan.listingsExpected = plan.listingsExpected < 0 ? -1 : plan.listingsExpected + listings;
      }
      return plan;
    });
  }

  /**
   * One listing of read {@code name} has finished, having listed {@code jobs} jobs.
   *
   * @param name the read's progress name
   * @param jobs the jobs that listing listed
   */
  public static void listingFinished(String name, long jobs) {
    ReadPlan plan = PLANS.computeIfAbsent(name, n -> new ReadPlan(n, -1));
    synchronized (plan) {
      plan.listingsFinished++;
      plan.jobsListed += jobs;
    }
    plan.announceIfComplete();
  }

  /**
   * Read {@code name} sized one job that it listed: {@code records} of it are to be read, holding
   * about {@code bytes} bytes (both 0 for an empty or a missing job).
   *
   * @param name the read's progress name
   * @param records the job's records the read plans to read
   * @param bytes their bytes, as the job's stats give them
   */
  public static void listedJobSized(String name, long records, long bytes) {
    // No plan here: the listing ran in another JVM, and this one never knows the whole.
    ReadPlan plan = PLANS.computeIfAbsent(name, n -> new ReadPlan(n, -1));
    synchronized (plan) {
      plan.jobsSized++;
      plan.records += records;
      plan.bytes += bytes;
    }
    plan.announceIfComplete();
  }

  /**
   * Read {@code name} sized one job that its caller named ({@code readAll()}): the plan grows, and
   * can no longer complete, having no listing to say how many jobs there are.
   *
   * @param name the read's progress name
   * @param records the job's records the read plans to read
   * @param bytes their bytes, as the job's stats give them
   */
  public static void namedJobSized(String name, long records, long bytes) {
    ReadPlan plan = PLANS.compute(name, (n, p) -> p == null || p.isComplete() ? new ReadPlan(n, -1) : p);
    synchronized (plan) {
      plan.listingsExpected = -1;
      plan.jobsSized++;
      plan.records += records;
      plan.bytes += bytes;
    }
  }

  /**
   * The current plan of read {@code name} in this JVM, or null when there is none.
   *
   * @param name the read's progress name
   * @return its plan, or null
   */
  public static ReadPlan of(String name) {
    return PLANS.get(name);
  }

  /**
   * Calls {@code watcher} with the plan of read {@code name} each time one becomes complete in this
   * JVM, from the thread that completed it, until {@link #stopWatching}.
   *
   * @param name the read's progress name
   * @param watcher told of each complete plan; must be quick and must not throw
   */
  public static void whenComplete(String name, Consumer<ReadPlan> watcher) {
    WATCHERS.computeIfAbsent(name, n -> ConcurrentHashMap.newKeySet()).add(watcher);
  }

  /**
   * Stops telling {@code watcher} about read {@code name}.
   *
   * @param name the read's progress name
   * @param watcher as given to {@link #whenComplete}
   */
  public static void stopWatching(String name, Consumer<ReadPlan> watcher) {
    WATCHERS.computeIfPresent(name, (n, set) -> {
      set.remove(watcher);
      return set.isEmpty() ? null : set;
    });
  }

  /** Forgets read {@code name}'s plan: its last reader has left (see {@link ProgressLogger#unregister}). */
  static void forget(String name) {
    PLANS.remove(name);
  }

  private void announceIfComplete() {
    synchronized (this) {
      if (announced || !isComplete()) {
        return;
      }
      announced = true;
    }
    // Outside the lock: a watcher may read this plan.
    for (Consumer<ReadPlan> w : WATCHERS.getOrDefault(name, Set.of())) {
      w.accept(this);
    }
  }

  /**
   * Whether every listing expected has finished and every job listed has been sized: then
   * {@link #records()} is the read's total.
   *
   * @return whether the plan is complete
   */
  public synchronized boolean isComplete() {
    return listingsExpected > 0 && listingsFinished == listingsExpected && jobsSized == jobsListed;
  }

  /**
   * The jobs listed by the listings finished so far.
   *
   * @return jobs listed
   */
  public synchronized long jobsListed() {
    return jobsListed;
  }

  /**
   * The jobs sized so far, empty and missing ones included.
   *
   * @return jobs sized
   */
  public synchronized long jobsSized() {
    return jobsSized;
  }

  /**
   * The records of the jobs sized so far that the read plans to read (records it was told to leave
   * out are not counted).
   *
   * @return records planned
   */
  public synchronized long records() {
    return records;
  }

  /**
   * The bytes of those records, as the jobs' stats give them.
   *
   * @return bytes planned
   */
  public synchronized long bytes() {
    return bytes;
  }

  @Override
  public synchronized String toString() {
    return "ReadPlan{" + name + ": " + listingsFinished + " of " + (listingsExpected < 0 ? "?" : listingsExpected)
        + " listings, " + jobsListed + " jobs listed, " + jobsSized + " sized, " + records + " records, " + bytes
        + " bytes" + (isComplete() ? ", complete" : "") + "}";
  }
}
