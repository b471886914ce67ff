package io.scrapinghubio.emulator.crawl;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Crawls that run: with a simulation, a job scheduled through {@code run.json} (initially pending)
 * goes pending → running → finished on the emulator's clock, writing its items progressively, and
 * ends with {@code close_reason}, {@code scrapystats} (with {@code item_scraped_count}) and log
 * lines, as a Scrapy Cloud job does.
 *
 * <pre>{@code
 * ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder()
 *     .crawlSimulation(CrawlSimulation.builder()
 *         .pendingTime(Duration.ofMillis(20)).runningTime(Duration.ofMillis(200))
 *         .itemsPerJob(10).unitsCapacity(2)
 *         .spider("books", CrawlSimulation.Spider.defaults().withItems(25))
 *         .build())
 *     .start();
 * }</pre>
 *
 * <p>What a job does is deterministic from its spider and spider arguments, so tests know what to
 * expect ({@link #item}, {@link #itemCount}):
 * <ul>
 *   <li>spider argument {@code items=N}: the job scrapes N items (else the spider's or the
 *       simulation's default);
 *   <li>spider argument {@code run_ms=N}: the job runs N ms (else the spider's or the default);
 *   <li>spider argument {@code close_reason=R}: the job ends with close reason R (else the
 *       spider's, else {@code finished});
 *   <li>spider argument {@code items_per_second=R}: the job runs {@code items / R} seconds (else
 *       the spider's running time, else the simulation's {@link Builder#itemsPerSecond}, else its
 *       running time); {@code run_ms} wins over it;
 *   <li>spider argument {@code items_per_page=N}: items come N to a crawled page (else the
 *       simulation's {@link Builder#itemsPerPage}, default 1);
 *   <li>spider argument {@code fail_after=N}: the job fails once it has written N items: it logs an
 *       error and ends at once with close reason {@code failed} (else the spider's
 *       {@link Spider#withFailureAfterItems}, else never);
 *   <li>item {@code i} is {@code {"spider", "category", "n", "title", "price", "url"}}, where
 *       {@code category} is the spider argument of that name (or {@code "all"}).
 * </ul>
 * A running job crawls its pages at an even pace over its running time; each page is one record
 * in the job's {@code requests} (the summary's {@code pages}) followed by that page's items, all
 * stored at the emulator's time of the step that wrote them (the {@code _ts} a reader asks for with
 * {@code meta=_ts}). Items of a running job are readable as they are written, with
 * {@code start}/{@code startafter} as any job's. Like Scrapy Cloud's stats collector, a running
 * job refreshes its {@code scrapystats} metadata and its summary counts ({@code items},
 * {@code pages}, {@code logs}, {@code errors}) when it starts and then every
 * {@link #statsInterval()} (30 s by default, as on the platform), and once more when it ends;
 * {@code items/P/S/J/stats} counts what is stored at any moment. A job deleted while it runs stops
 * writing at once and its data reads as gone (see docs/emulator.md). Cancelling a running job ends it at the next tick
 * with close reason {@code cancelled} (a pending one is finished at once, as before). Running jobs
 * use their units; a job starts only once it has been pending for {@link #pendingTime()} and the
 * project's running units plus its own fit in {@link #unitsCapacity()}: until then it stays
 * pending and the project summary says {@code has_capacity: false}.
 *
 * <p>Only pending jobs created by {@code run.json} are simulated; jobs added through the store,
 * JobQ {@code push} or demo data keep the old static behaviour. {@code run.json} schedules only
 * deployed spiders, as a real project does: the spiders declared with {@link Builder#spider} (in
 * every project) and those configured through demo data or the store; another answers
 * {@code Spider not found}.
 */
public final class CrawlSimulation {
  private final Duration pendingTime;
  private final Duration runningTime;
  private final int itemsPerJob;
  private final int unitsCapacity;
  private final Duration tick;
  private final double itemsPerSecond;
  private final int itemsPerPage;
  private final Duration statsInterval;
  private final Map<String, Spider> spiders;

  private CrawlSimulation(Builder b) {
    this.itemsPerSecond = b.itemsPerSecond;
    this.itemsPerPage = b.itemsPerPage;
    this.statsInterval = b.statsInterval;
    this.pendingTime = b.pendingTime;
    this.runningTime = b.runningTime;
    this.itemsPerJob = b.itemsPerJob;
    this.unitsCapacity = b.unitsCapacity;
    this.tick = b.tick;
    this.spiders = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.spiders)); // declaration order
  }

  /**
   * A builder starting from {@link #defaults()}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Pending 50 ms, running 500 ms, 10 items per job one to a page, stats every 30 s, 6 units, every
   * spider known.
   *
   * @return the default simulation
   */
  public static CrawlSimulation defaults() {
    return builder().build();
  }

  /**
   * Minimum time a job stays pending before it may start.
   *
   * @return the pending time
   */
  public Duration pendingTime() {
    return pendingTime;
  }

  /**
   * How long a job runs when nothing else sets its time.
   *
   * @return the running time
   */
  public Duration runningTime() {
    return runningTime;
  }

  /**
   * Items a job scrapes when neither it nor its spider says.
   *
   * @return the items per job
   */
  public int itemsPerJob() {
    return itemsPerJob;
  }

  /**
   * Units that may run at once per project.
   *
   * @return the capacity in units
   */
  public int unitsCapacity() {
    return unitsCapacity;
  }

  /**
   * How often the emulator's background thread advances crawls (they also advance on every
   * request).
   *
   * @return the tick
   */
  public Duration tick() {
    return tick;
  }

  /**
   * Items per second a job writes when neither it nor its spider sets its time; 0 = use
   * {@link #runningTime()}.
   *
   * @return items per second, or 0
   */
  public double itemsPerSecond() {
    return itemsPerSecond;
  }

  /**
   * Items per crawled page when a job does not say (spider argument {@code items_per_page}).
   *
   * @return items per page
   */
  public int itemsPerPage() {
    return itemsPerPage;
  }

  /**
   * How often a running job refreshes its {@code scrapystats} and summary counts.
   *
   * @return the stats interval
   */
  public Duration statsInterval() {
    return statsInterval;
  }

  /**
   * Declared spiders: deployed in every project; others run with the defaults once deployed
   * otherwise.
   *
   * @return the declared spiders by name
   */
  public Map<String, Spider> spiders() {
    return spiders;
  }

  private Spider spider(String name) {
    return spiders.getOrDefault(name, Spider.defaults());
  }

  /**
   * How many items a job of {@code spider} with these arguments scrapes.
   *
   * @param spider the spider's name
   * @param args the job's spider arguments
   * @return the item count
   */
  public long itemCount(String spider, Map<String, ?> args) {
    Long n = longArg(args, "items");
    if (n != null) {
      return Math.max(0, n);
    }
    Spider s = spider(spider);
    return s.items() >= 0 ? s.items() : itemsPerJob;
  }

  /**
   * How long such a job runs, in ms.
   *
   * @param spider the spider's name
   * @param args the job's spider arguments
   * @return the running time in ms
   */
  public long runningMillis(String spider, Map<String, ?> args) {
    Long n = longArg(args, "run_ms");
    if (n != null) {
      return Math.max(0, n);
    }
    Double rate = doubleArg(args, "items_per_second");
    Spider s = spider(spider);
    if (rate == null && s.runningTime() != null) {
      return s.runningTime().toMillis();
    }
    if (rate == null && itemsPerSecond > 0) {
      rate = itemsPerSecond;
    }
    if (rate != null && rate > 0) {
      return (long) Math.ceil(itemCount(spider, args) * 1000.0 / rate);
    }
    return runningTime.toMillis();
  }

  /**
   * Items per crawled page of such a job (at least 1).
   *
   * @param spider the spider's name
   * @param args the job's spider arguments
   * @return items per page
   */
  public int itemsPerPage(String spider, Map<String, ?> args) {
    Long n = longArg(args, "items_per_page");
    return n != null && n >= 1 ? (int) Math.min(n, Integer.MAX_VALUE) : itemsPerPage;
  }

  /**
   * After how many written items such a job fails, or -1 when it does not.
   *
   * @param spider the spider's name
   * @param args the job's spider arguments
   * @return the item count at which it fails, or -1
   */
  public long failureAfterItems(String spider, Map<String, ?> args) {
    Long n = longArg(args, "fail_after");
    if (n != null && n >= 0) {
      return n;
    }
    return spider(spider).failureAfterItems();
  }

  /**
   * A spider argument as a number, or null when absent or not a number: spider arguments are the
   * spider's to interpret, and the real service schedules any value, so a bad one falls back to the
   * defaults rather than refusing the job.
   */
  private static Long longArg(Map<String, ?> args, String name) {
    Object v = args.get(name);
    if (v == null) {
      return null;
    }
    try {
      return Long.parseLong(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Double doubleArg(Map<String, ?> args, String name) {
    Object v = args.get(name);
    if (v == null) {
      return null;
    }
    try {
      double d = Double.parseDouble(String.valueOf(v).trim());
      return Double.isFinite(d) && d > 0 ? d : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * The close reason such a job ends with when not cancelled.
   *
   * @param spider the spider's name
   * @param args the job's spider arguments
   * @return the close reason, {@code finished} unless the spider says otherwise
   */
  public String closeReason(String spider, Map<String, ?> args) {
    Object r = args.get("close_reason");
    return r != null ? String.valueOf(r) : spider(spider).closeReason();
  }

  /**
   * Item {@code index} (0-based) of a job of {@code spider} with these arguments.
   *
   * @param spider the spider's name
   * @param args the job's spider arguments
   * @param index the item's index
   * @return the item, the same for the same inputs
   */
  public static Map<String, Object> item(String spider, Map<String, ?> args, long index) {
    String category = args.get("category") == null ? "all" : String.valueOf(args.get("category"));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("spider", spider);
    m.put("category", category);
    m.put("n", index);
    m.put("title", category + " item " + index);
    long h = Integer.toUnsignedLong((spider + "/" + category + "/" + index).hashCode());
    m.put("price", (h % 10_000) / 100.0);
    m.put("url", "https://shop.example.com/" + category + "/" + index);
    return m;
  }

  @Override
  public String toString() {
    return "CrawlSimulation{pending=" + pendingTime + ", running=" + runningTime + ", items=" + itemsPerJob
        + ", itemsPerSecond=" + itemsPerSecond + ", itemsPerPage=" + itemsPerPage + ", statsInterval=" + statsInterval
        + ", unitsCapacity=" + unitsCapacity + ", spiders=" + spiders.keySet() + "}";
  }

  /** Behaviour of one spider; unset values fall back to the simulation's. */
  public static final class Spider {
    private final long items;
    private final Duration runningTime;
    private final String closeReason;
    private final long failureAfterItems;

    private Spider(long items, Duration runningTime, String closeReason, long failureAfterItems) {
      this.items = items;
      this.runningTime = runningTime;
      this.closeReason = closeReason;
      this.failureAfterItems = failureAfterItems;
    }

    /**
     * A spider with the simulation's defaults: its jobs take the simulation's item count and pace,
     * and finish.
     *
     * @return the default behaviour
     */
    public static Spider defaults() {
      return new Spider(-1, null, "finished", -1);
    }

    /**
     * The same behaviour with this many items per job.
     *
     * @param n items, 0 or more
     * @return a new behaviour
     */
    public Spider withItems(long n) {
      if (n < 0) {
        throw new IllegalArgumentException("items must be >= 0, but was " + n);
      }
      return new Spider(n, runningTime, closeReason, failureAfterItems);
    }

    /**
     * The same behaviour with this running time per job.
     *
     * @param d zero or more
     * @return a new behaviour
     */
    public Spider withRunningTime(Duration d) {
      return new Spider(items, nonNegative("runningTime", d), closeReason, failureAfterItems);
    }

    /**
     * E.g. {@code failed} or {@code shutdown} for a spider whose jobs end badly.
     *
     * @param reason the close reason
     * @return a new behaviour
     */
    public Spider withCloseReason(String reason) {
      if (reason == null || reason.isBlank()) {
        throw new IllegalArgumentException("close reason must be non-empty, but was '" + reason + "'");
      }
      return new Spider(items, runningTime, reason, failureAfterItems);
    }

    /**
     * Jobs of this spider fail mid-run once they have written {@code n} items: an error log line,
     * then the job ends at once with close reason {@code failed} (a crash, not a slow finish).
     *
     * @param n items written before the failure, 0 or more
     * @return a new behaviour
     */
    public Spider withFailureAfterItems(long n) {
      if (n < 0) {
        throw new IllegalArgumentException("failureAfterItems must be >= 0, but was " + n);
      }
      return new Spider(items, runningTime, closeReason, n);
    }

    /**
     * Items per job of this spider.
     *
     * @return the item count, or -1 for the simulation's
     */
    public long items() {
      return items;
    }

    /**
     * Running time of this spider's jobs.
     *
     * @return the running time, or null for the simulation's
     */
    public Duration runningTime() {
      return runningTime;
    }

    /**
     * The close reason this spider's jobs end with.
     *
     * @return the close reason
     */
    public String closeReason() {
      return closeReason;
    }

    /**
     * After how many items jobs of this spider fail, or -1 when they do not.
     *
     * @return the item count, or -1
     */
    public long failureAfterItems() {
      return failureAfterItems;
    }
  }

  /** Builder; setters validate at once. */
  public static final class Builder {
    private Duration pendingTime = Duration.ofMillis(50);
    private Duration runningTime = Duration.ofMillis(500);
    private int itemsPerJob = 10;
    private int unitsCapacity = 6;
    private Duration tick = Duration.ofMillis(10);
    private double itemsPerSecond;
    private int itemsPerPage = 1;
    private Duration statsInterval = Duration.ofSeconds(30);
    private final Map<String, Spider> spiders = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Minimum time a job stays pending before it may start.
     *
     * @param d zero or more
     * @return this builder
     */
    public Builder pendingTime(Duration d) {
      this.pendingTime = nonNegative("pendingTime", d);
      return this;
    }

    /**
     * How long a job runs (spider argument {@code run_ms} overrides it per job).
     *
     * @param d zero or more
     * @return this builder
     */
    public Builder runningTime(Duration d) {
      this.runningTime = nonNegative("runningTime", d);
      return this;
    }

    /**
     * Items per job (spider argument {@code items} overrides it per job).
     *
     * @param n items, 0 or more
     * @return this builder
     */
    public Builder itemsPerJob(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("itemsPerJob must be >= 0, but was " + n);
      }
      this.itemsPerJob = n;
      return this;
    }

    /**
     * Units that may run at once per project (a job uses its {@code units}, 1 to 6).
     *
     * @param units the capacity in units, at least 1
     * @return this builder
     */
    public Builder unitsCapacity(int units) {
      if (units < 1) {
        throw new IllegalArgumentException("unitsCapacity must be >= 1, but was " + units);
      }
      this.unitsCapacity = units;
      return this;
    }

    /**
     * Pace of a job in items per second: its running time becomes {@code items / rate} unless the
     * job ({@code run_ms}, {@code items_per_second}) or its spider sets one. Replaces
     * {@link #runningTime} for the other jobs.
     *
     * @param rate items per second, positive; 0 to go back to the running time
     * @return this builder
     */
    public Builder itemsPerSecond(double rate) {
      if (!(rate > 0) || !Double.isFinite(rate)) {
        throw new IllegalArgumentException("itemsPerSecond must be a finite number > 0, but was " + rate);
      }
      this.itemsPerSecond = rate;
      return this;
    }

    /**
     * Items a crawled page yields, written together with the page's request record (default 1).
     *
     * @param n items per page, at least 1
     * @return this builder
     */
    public Builder itemsPerPage(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("itemsPerPage must be >= 1, but was " + n);
      }
      this.itemsPerPage = n;
      return this;
    }

    /**
     * How often a running job refreshes its {@code scrapystats} metadata and summary counts
     * (default 30 s, the platform's stats collector interval).
     *
     * @param d a positive interval
     * @return this builder
     */
    public Builder statsInterval(Duration d) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException("statsInterval must be a positive duration, but was " + d);
      }
      this.statsInterval = d;
      return this;
    }

    /**
     * Background tick of the emulator (default 10 ms).
     *
     * @param d a positive interval
     * @return this builder
     */
    public Builder tick(Duration d) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException("tick must be a positive duration, but was " + d);
      }
      this.tick = d;
      return this;
    }

    /**
     * Declares a spider deployed in every project, with its behaviour.
     *
     * @param name the spider's name
     * @param behaviour what its jobs do
     * @return this builder
     */
    public Builder spider(String name, Spider behaviour) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("spider name must be non-empty, but was '" + name + "'");
      }
      spiders.put(name, Objects.requireNonNull(behaviour, "behaviour"));
      return this;
    }

    /**
     * The simulation with these settings.
     *
     * @return a new simulation
     */
    public CrawlSimulation build() {
      return new CrawlSimulation(this);
    }
  }

  private static Duration nonNegative(String name, Duration d) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be a duration >= 0, but was " + d);
    }
    return d;
  }
}
