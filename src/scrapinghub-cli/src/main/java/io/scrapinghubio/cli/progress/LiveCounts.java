package io.scrapinghubio.cli.progress;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a running command has written so far, what it plans to write, and which jobs failed, for its
 * progress display and summary.
 *
 * <p>Beam's own metrics are no use here: embedded Flink hands them over only once a batch job has
 * ended. The writers run in this JVM on the embedded runners, so they count into this registry,
 * found by id (the writer is serialised into the pipeline; the counts are not). On a remote cluster
 * the id is unknown to the workers' JVMs and nothing is counted: the cluster's UI shows progress.
 *
 * <p>An export's total ({@link #planned}) is the read's own: its sizing step adds up each job's
 * count in the read's plan (the connector's {@code ReadPlan}), and the command takes the total once
 * that plan is complete, every job listed and sized, in this JVM (so never from a remote cluster,
 * where the display shows nothing anyway). No second listing of the selection is made for it.
 */
public final class LiveCounts implements AutoCloseable {
  private static final Map<String, LiveCounts> RUNNING = new ConcurrentHashMap<>();

  private final String id;
  private final LongAdder items = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private volatile long plannedItems = -1;
  private volatile String engine = "the pipeline";
  private volatile String noun = "item";
  /** False for records without bytes of their own (a load's rows): the display then shows no MB. */
  private volatile boolean bytesCounted = true;
  private volatile long plannedJobs = -1;
  /** Jobs a crawl scheduled, or -1 when the command is not a crawl. */
  private volatile long crawlJobs = -1;
  private final LongAdder jobsFinished = new LongAdder();
  /** When the first record was written, or 0: the start of the rate an ETA can rely on. */
  private volatile long firstWrittenNanos;
  private final java.util.Queue<String> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
  /** Items a follow has read, by job, or null when the command is not a follow. */
  private volatile Map<String, LongAdder> followedJobs;
  /** The newest store time ({@code _ts}) a follow has read, or Long.MIN_VALUE. */
  private final java.util.concurrent.atomic.AtomicLong newestScraped = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);

  private LiveCounts(String id) {
    this.id = id;
  }

  /** New counts for one run, until {@link #close()}. */
  public static LiveCounts open() {
    LiveCounts c = new LiveCounts(UUID.randomUUID().toString());
    RUNNING.put(c.id, c);
    return c;
  }

  public String id() {
    return id;
  }

  /** {@code records} reached the output, {@code recordBytes} bytes with their newlines. */
  void written(long records, long recordBytes) {
    if (firstWrittenNanos == 0) {
      firstWrittenNanos = System.nanoTime();
    }
    items.add(records);
    bytes.add(recordBytes);
  }

  /** What one record is called in progress lines, e.g. "item" (the default) or "log line". */
  public void counting(String singularNoun) {
    this.noun = singularNoun;
  }

  /** The records counted have no size of their own (rows bound to a statement): displays leave out MB. */
  public void withoutBytes() {
    bytesCounted = false;
  }

  /** The bytes written, or -1 when the records have no size ({@link #withoutBytes()}). */
  long shownBytes() {
    return bytesCounted ? bytes.sum() : -1;
  }

  /** What one record is called, "item" unless {@link #counting} said otherwise. */
  public String noun() {
    return noun;
  }

  /** What runs the pipeline, e.g. "embedded Flink": what the display says it is starting before the first item. */
  public void runsOn(String engine) {
    this.engine = engine;
  }

  /**
   * While an export has written nothing yet, what it is waiting for (the listing and sizing, the
   * engine's start-up, the first pages), so that a display at 0 says why; "" once items flow, and
   * for crawls and follows, whose wait is the crawl's.
   */
  String waitingFor() {
    if (items.sum() > 0 || crawlJobs >= 0 || followedJobs != null || plannedJobs == 0) {
      return "";
    }
    return plannedItems < 0 ? "listing and sizing the jobs, starting " + engine
        : "starting " + engine + " and reading the first pages";
  }

  /**
   * The whole of what this run reads: {@code records} in {@code jobs} jobs. For an export these are
   * the read's, as its sizing step found them, without the records an interrupted run already
   * wrote (the read leaves those out): the progress counts to what this run writes.
   *
   * @param jobs the jobs selected
   * @param records the records this run reads from them
   */
  public void planned(long jobs, long records) {
    plannedJobs = jobs;
    plannedItems = Math.max(0, records);
  }

  /** The command runs a crawl of this many jobs: progress then shows how many have finished. */
  public void crawling(long jobs) {
    crawlJobs = jobs;
  }

  /** The command follows a project: progress then shows the jobs read and the lag behind the crawls. */
  public void following() {
    followedJobs = new ConcurrentHashMap<>();
  }

  /** A follow read one item of {@code jobKey}, stored at {@code scrapedMillis}, written as {@code lineBytes}. */
  public void followed(String jobKey, long scrapedMillis, long lineBytes) {
    Map<String, LongAdder> jobs = followedJobs;
    if (jobs != null) {
      jobs.computeIfAbsent(jobKey, k -> new LongAdder()).increment();
    }
    newestScraped.accumulateAndGet(scrapedMillis, Math::max);
    written(1, lineBytes);
  }

  /** The items a follow has read of each job it read items of. */
  public Map<String, Long> followedByJob() {
    Map<String, LongAdder> jobs = followedJobs;
    Map<String, Long> out = new java.util.TreeMap<>();
    if (jobs != null) {
      jobs.forEach((k, n) -> out.put(k, n.sum()));
    }
    return out;
  }

  /**
   * {@code ", lag 1.2 s"}: now minus the newest item's store time, how far a follow is behind the
   * crawls (as the connector's own progress lines say it); "" before the first item.
   */
  String lag() {
    long newest = newestScraped.get();
    return newest == Long.MIN_VALUE ? ""
        : String.format(java.util.Locale.ROOT, ", lag %.1f s", Math.max(0, System.currentTimeMillis() - newest) / 1000.0);
  }

  /** One of the crawl's jobs finished. */
  public void jobFinished() {
    jobsFinished.increment();
  }

  /** e.g. "1 of 3 jobs finished, 1 failed, " for a crawl; "" otherwise. */
  String jobsProgress() {
    Map<String, LongAdder> followed = followedJobs;
    if (followed != null) {
      return io.scrapinghubio.cli.console.Counted.of(followed.size(), "job") + ", ";
    }
    if (crawlJobs < 0) {
      return "";
    }
    int failed = failures.size();
    return String.format("%,d of %,d %s finished, ", jobsFinished.sum(), crawlJobs, crawlJobs == 1 ? "job" : "jobs")
        + (failed > 0 ? String.format("%,d failed, ", failed) : "");
  }

  /** A job that could not be scheduled, awaited or read, as one line. */
  public void failed(String description) {
    failures.add(description);
  }

  /** The failures reported so far, in arrival order. */
  public java.util.List<String> failures() {
    return java.util.List.copyOf(failures);
  }

  /** The counts of run {@code id} if it runs in this JVM, else null (for steps other than the writer). */
  public static LiveCounts inThisJvm(String id) {
    return RUNNING.get(id);
  }

  public long items() {
    return items.sum();
  }

  public long bytes() {
    return bytes.sum();
  }

  /** Items the selected jobs hold, or -1 while unknown. */
  public long plannedItems() {
    return plannedItems;
  }

  /** Jobs selected, or -1 while unknown. */
  public long plannedJobs() {
    return plannedJobs;
  }

  /**
   * Seconds left at the rate of writing since the first record, or empty while unknown. Measured
   * from the first record rather than from the start, because a runner's start-up, the job listing
   * and the sizing take a while before anything is written and would make the early ETA far too long.
   */
  public java.util.Optional<java.time.Duration> eta() {
    long planned = plannedItems;
    long done = items.sum();
    long first = firstWrittenNanos;
    double seconds = (System.nanoTime() - first) / 1e9;
    if (planned < 0 || first == 0 || done == 0 || seconds < 1) {
      return java.util.Optional.empty();
    }
    double left = Math.max(0, planned - done) / (done / seconds);
    return java.util.Optional.of(java.time.Duration.ofMillis((long) (left * 1000)));
  }

  @Override
  public void close() {
    RUNNING.remove(id, this);
  }
}
