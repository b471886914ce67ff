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

  public static Builder builder() {
    return new Builder();
  }

  /** Pending 50 ms, running 500 ms, 10 items per job one to a page, stats every 30 s, 6 units, every spider known. */
  public static CrawlSimulation defaults() {
    return builder().build();
  }

  public Duration pendingTime() {
    return pendingTime;
  }

  public Duration runningTime() {
    return runningTime;
  }

  public int itemsPerJob() {
    return itemsPerJob;
  }

  public int unitsCapacity() {
    return unitsCapacity;
  }

  /** How often the emulator's background thread advances crawls (they also advance on every request). */
  public Duration tick() {
    return tick;
  }

  /** Items per second a job writes when neither it nor its spider sets its time; 0 = use {@link #runningTime()}. */
  public double itemsPerSecond() {
    return itemsPerSecond;
  }

  /** Items per crawled page when a job does not say (spider argument {@code items_per_page}). */
  public int itemsPerPage() {
    return itemsPerPage;
  }

  /** How often a running job refreshes its {@code scrapystats} and summary counts. */
  public Duration statsInterval() {
    return statsInterval;
  }

  /** Declared spiders: deployed in every project; others run with the defaults once deployed otherwise. */
  public Map<String, Spider> spiders() {
    return spiders;
  }

  private Spider spider(String name) {
    return spiders.getOrDefault(name, Spider.defaults());
  }

  /** How many items a job of {@code spider} with these arguments scrapes. */
  public long itemCount(String spider, Map<String, ?> args) {
    Long n = longArg(args, "items");
    if (n != null) {
      return Math.max(0, n);
    }
    Spider s = spider(spider);
    return s.items() >= 0 ? s.items() : itemsPerJob;
  }

  /** How long such a job runs, in ms. */
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

  /** Items per crawled page of such a job (at least 1). */
  public int itemsPerPage(String spider, Map<String, ?> args) {
    Long n = longArg(args, "items_per_page");
    return n != null && n >= 1 ? (int) Math.min(n, Integer.MAX_VALUE) : itemsPerPage;
  }

  /** After how many written items such a job fails, or -1 when it does not. */
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

  /** The close reason such a job ends with when not cancelled. */
  public String closeReason(String spider, Map<String, ?> args) {
    Object r = args.get("close_reason");
    return r != null ? String.valueOf(r) : spider(spider).closeReason();
  }

  /** Item {@code index} (0-based) of a job of {@code spider} with these arguments. */
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

    public static Spider defaults() {
      return new Spider(-1, null, "finished", -1);
    }

    public Spider withItems(long n) {
      if (n < 0) {
        throw new IllegalArgumentException("items must be >= 0, but was " + n);
      }
      return new Spider(n, runningTime, closeReason, failureAfterItems);
    }

    public Spider withRunningTime(Duration d) {
      return new Spider(items, nonNegative("runningTime", d), closeReason, failureAfterItems);
    }

    /** E.g. {@code failed} or {@code shutdown} for a spider whose jobs end badly. */
    public Spider withCloseReason(String reason) {
      if (reason == null || reason.isBlank()) {
        throw new IllegalArgumentException("close reason must be non-empty, but was '" + reason + "'");
      }
      return new Spider(items, runningTime, reason, failureAfterItems);
    }

    /**
     * Jobs of this spider fail mid-run once they have written {@code n} items: an error log line,
     * then the job ends at once with close reason {@code failed} (a crash, not a slow finish).
     */
    public Spider withFailureAfterItems(long n) {
      if (n < 0) {
        throw new IllegalArgumentException("failureAfterItems must be >= 0, but was " + n);
      }
      return new Spider(items, runningTime, closeReason, n);
    }

    public long items() {
      return items;
    }

    public Duration runningTime() {
      return runningTime;
    }

    public String closeReason() {
      return closeReason;
    }

    /** After how many items jobs of this spider fail, or -1 when they do not. */
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

    /** Minimum time a job stays pending before it may start. */
    public Builder pendingTime(Duration d) {
      this.pendingTime = nonNegative("pendingTime", d);
      return this;
    }

    /** How long a job runs (spider argument {@code run_ms} overrides it per job). */
    public Builder runningTime(Duration d) {
      this.runningTime = nonNegative("runningTime", d);
      return this;
    }

    /** Items per job (spider argument {@code items} overrides it per job). */
    public Builder itemsPerJob(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("itemsPerJob must be >= 0, but was " + n);
      }
      this.itemsPerJob = n;
      return this;
    }

    /** Units that may run at once per project (a job uses its {@code units}, 1 to 6). */
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
     */
    public Builder itemsPerSecond(double rate) {
      if (!(rate > 0) || !Double.isFinite(rate)) {
        throw new IllegalArgumentException("itemsPerSecond must be a finite number > 0, but was " + rate);
      }
      this.itemsPerSecond = rate;
      return this;
    }

    /** Items a crawled page yields, written together with the page's request record (default 1). */
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
     */
    public Builder statsInterval(Duration d) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException("statsInterval must be a positive duration, but was " + d);
      }
      this.statsInterval = d;
      return this;
    }

    /** Background tick of the emulator (default 10 ms). */
    public Builder tick(Duration d) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException("tick must be a positive duration, but was " + d);
      }
      this.tick = d;
      return this;
    }

    /** Declares a spider deployed in every project, with its behaviour. */
    public Builder spider(String name, Spider behaviour) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("spider name must be non-empty, but was '" + name + "'");
      }
      spiders.put(name, Objects.requireNonNull(behaviour, "behaviour"));
      return this;
    }

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
