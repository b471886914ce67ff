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
 *   <li>item {@code i} is {@code {"spider", "category", "n", "title", "price", "url"}}, where
 *       {@code category} is the spider argument of that name (or {@code "all"}).
 * </ul>
 * Items appear linearly over the running time. Cancelling a running job ends it at the next tick
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
  private final Map<String, Spider> spiders;

  private CrawlSimulation(Builder b) {
    this.pendingTime = b.pendingTime;
    this.runningTime = b.runningTime;
    this.itemsPerJob = b.itemsPerJob;
    this.unitsCapacity = b.unitsCapacity;
    this.tick = b.tick;
    this.spiders = Map.copyOf(b.spiders);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Pending 50 ms, running 500 ms, 10 items per job, 6 units, every spider known. */
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

  /** Declared spiders: deployed in every project; others run with the defaults once deployed otherwise. */
  public Map<String, Spider> spiders() {
    return spiders;
  }

  private Spider spider(String name) {
    return spiders.getOrDefault(name, Spider.defaults());
  }

  /** How many items a job of {@code spider} with these arguments scrapes. */
  public long itemCount(String spider, Map<String, ?> args) {
    Object n = args.get("items");
    if (n != null) {
      try {
        return Math.max(0, Long.parseLong(String.valueOf(n).trim()));
      } catch (NumberFormatException ignored) {
        // fall back to the defaults
      }
    }
    Spider s = spider(spider);
    return s.items() >= 0 ? s.items() : itemsPerJob;
  }

  /** How long such a job runs, in ms. */
  public long runningMillis(String spider, Map<String, ?> args) {
    Object n = args.get("run_ms");
    if (n != null) {
      try {
        return Math.max(0, Long.parseLong(String.valueOf(n).trim()));
      } catch (NumberFormatException ignored) {
        // fall back to the defaults
      }
    }
    Spider s = spider(spider);
    return (s.runningTime() != null ? s.runningTime() : runningTime).toMillis();
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
        + ", unitsCapacity=" + unitsCapacity + ", spiders=" + spiders.keySet() + "}";
  }

  /** Behaviour of one spider; unset values fall back to the simulation's. */
  public static final class Spider {
    private final long items;
    private final Duration runningTime;
    private final String closeReason;

    private Spider(long items, Duration runningTime, String closeReason) {
      this.items = items;
      this.runningTime = runningTime;
      this.closeReason = closeReason;
    }

    public static Spider defaults() {
      return new Spider(-1, null, "finished");
    }

    public Spider withItems(long n) {
      if (n < 0) {
        throw new IllegalArgumentException("items must be >= 0, but was " + n);
      }
      return new Spider(n, runningTime, closeReason);
    }

    public Spider withRunningTime(Duration d) {
      return new Spider(items, nonNegative("runningTime", d), closeReason);
    }

    /** E.g. {@code failed} or {@code shutdown} for a spider whose jobs end badly. */
    public Spider withCloseReason(String reason) {
      if (reason == null || reason.isBlank()) {
        throw new IllegalArgumentException("close reason must be non-empty, but was '" + reason + "'");
      }
      return new Spider(items, runningTime, reason);
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
  }

  /** Builder; setters validate at once. */
  public static final class Builder {
    private Duration pendingTime = Duration.ofMillis(50);
    private Duration runningTime = Duration.ofMillis(500);
    private int itemsPerJob = 10;
    private int unitsCapacity = 6;
    private Duration tick = Duration.ofMillis(10);
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
