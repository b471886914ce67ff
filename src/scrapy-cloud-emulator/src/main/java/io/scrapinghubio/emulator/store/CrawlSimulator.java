package io.scrapinghubio.emulator.store;

import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Advances simulated crawls (see {@link CrawlSimulation}) to the emulator's current time: running
 * jobs write the items due by now and finish when their time is up (or when cancelled); pending
 * jobs start when they have waited long enough and the project's units allow.
 *
 * <p>Called on every request and from a background tick; each call takes the project lock, so the
 * job queue never shows a half-applied step.
 */
public final class CrawlSimulator {
  private CrawlSimulator() {}

  /** What a simulated job will do, fixed when it is scheduled. */
  static final class Plan {
    final String spider;
    final Map<String, Object> args;
    final long items;
    final long runMillis;
    final String closeReason;
    final int itemsPerPage;
    /** Items after which the job fails, or -1. */
    final long failAfter;
    final long statsIntervalMillis;
    long written;
    long pagesWritten;
    long statsAt;

    Plan(String spider, Map<String, Object> args, CrawlSimulation sim) {
      this.spider = spider;
      this.args = args;
      this.items = sim.itemCount(spider, args);
      this.runMillis = sim.runningMillis(spider, args);
      this.closeReason = sim.closeReason(spider, args);
      this.itemsPerPage = sim.itemsPerPage(spider, args);
      this.failAfter = sim.failureAfterItems(spider, args);
      this.statsIntervalMillis = sim.statsInterval().toMillis();
    }

    long pages() {
      return (items + itemsPerPage - 1) / itemsPerPage;
    }

    boolean failsNow() {
      return failAfter >= 0 && failAfter < items && written >= failAfter;
    }
  }

  /**
   * Makes a freshly scheduled pending job a simulated crawl.
   *
   * @param project the job's project
   * @param job a pending job just created by {@code run.json}
   * @param sim the simulation it follows
   */
  public static void plan(ProjectState project, JobState job, CrawlSimulation sim) {
    synchronized (project) {
      synchronized (job) {
        if (!JobState.PENDING.equals(job.meta.get("state"))) {
          return; // created running/finished through meta.state: not a crawl to simulate
        }
        String spider = String.valueOf(job.meta.get("spider"));
        @SuppressWarnings("unchecked")
        Map<String, Object> args = job.meta.get("spider_args") instanceof Map
            ? new LinkedHashMap<>((Map<String, Object>) job.meta.get("spider_args")) : new LinkedHashMap<>();
        job.crawl = new Plan(spider, args, sim);
      }
    }
  }

  /**
   * Advances every simulated job of {@code project} to {@code now}.
   *
   * @param project the project
   * @param sim the simulation
   * @param now the time to advance to, epoch ms
   */
  public static void advance(ProjectState project, CrawlSimulation sim, long now) {
    synchronized (project) {
      List<JobState> simulated = new ArrayList<>();
      for (JobState j : project.jobs()) {
        if (j.simulated()) {
          simulated.add(j);
        }
      }
      if (simulated.isEmpty()) {
        return;
      }
      for (JobState j : simulated) {
        String st = j.state();
        if (JobState.RUNNING.equals(st)) {
          progress(project, j, now);
        } else if (!JobState.PENDING.equals(st)) {
          synchronized (j) {
            j.crawl = null; // finished (e.g. a pending job cancelled) or deleted: nothing left to do
          }
        }
      }
      int free = sim.unitsCapacity() - project.runningUnits();
      List<JobState> pending = new ArrayList<>();
      for (JobState j : simulated) {
        if (JobState.PENDING.equals(j.state()) && now - pendingTime(j) >= sim.pendingTime().toMillis()) {
          pending.add(j);
        }
      }
      pending.sort(Comparator.comparingInt((JobState j) -> -intOf(j.get("priority"), 2)).thenComparingLong(JobState::seq));
      for (JobState j : pending) {
        int units = intOf(j.get("units"), 1);
        if (units <= free) {
          start(project, j, now);
          free -= units;
        }
      }
    }
  }

  private static long pendingTime(JobState j) {
    Object t = j.get("pending_time");
    return t instanceof Number ? ((Number) t).longValue() : j.ts();
  }

  private static int intOf(Object o, int dflt) {
    return o instanceof Number ? ((Number) o).intValue() : dflt;
  }

  private static void start(ProjectState project, JobState job, long now) {
    synchronized (job) {
      project.stampState(job, JobState.RUNNING, now);
      job.meta.put("_shub_worker", "kumo-emulator");
      if (job.auth == null) {
        job.auth = ProjectState.token(job.key());
      }
    }
    log(project, job, now, 20, "Spider opened");
    Plan plan;
    long started;
    synchronized (job) {
      plan = job.crawl;
      Object rt = job.meta.get("running_time");
      started = rt instanceof Number ? ((Number) rt).longValue() : now;
    }
    refreshStats(project, job, plan, now, started); // the platform's collector posts stats when the spider opens
  }

  private static void progress(ProjectState project, JobState job, long now) {
    Plan plan;
    long started;
    boolean cancelled;
    synchronized (job) {
      plan = job.crawl;
      Object rt = job.meta.get("running_time");
      started = rt instanceof Number ? ((Number) rt).longValue() : now;
      cancelled = job.meta.containsKey("cancelled_by");
    }
    long elapsed = Math.max(0, now - started);
    boolean done = elapsed >= plan.runMillis;
    // Pages are crawled at an even pace; a page's items are stored with it, in one step.
    long pagesDue = done || plan.runMillis == 0 ? plan.pages() : plan.pages() * elapsed / plan.runMillis;
    RecordLog items = project.records(job.spiderId(), job.number(), RecordType.ITEMS);
    RecordLog requests = project.records(job.spiderId(), job.number(), RecordType.REQUESTS);
    while (plan.pagesWritten < pagesDue && !plan.failsNow()) {
      long page = plan.pagesWritten;
      requests.append(RecordCodec.encode(RecordType.REQUESTS, pageRequest(plan, page, now)), now);
      long end = Math.min(plan.items, (page + 1) * plan.itemsPerPage);
      while (plan.written < end && !plan.failsNow()) {
        items.append(RecordCodec.encode(RecordType.ITEMS, CrawlSimulation.item(plan.spider, plan.args, plan.written)), now);
        plan.written++;
      }
      plan.pagesWritten++;
    }
    if (plan.failsNow()) {
      log(project, job, now, 40, "Spider error processing <GET " + pageUrl(plan, plan.pagesWritten) + ">: simulated failure after "
          + plan.written + " items");
      finish(project, job, now, "failed", started);
    } else if (cancelled) {
      finish(project, job, now, "cancelled", started);
    } else if (done) {
      finish(project, job, now, plan.closeReason, started);
    } else if (now - plan.statsAt >= plan.statsIntervalMillis) {
      refreshStats(project, job, plan, now, started);
    }
  }

  /** The request record of crawled page {@code page} (0-based), as Scrapy Cloud stores a response. */
  private static Map<String, Object> pageRequest(Plan plan, long page, long now) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("time", now);
    r.put("duration", 1);
    r.put("status", 200);
    r.put("method", "GET");
    r.put("rs", 1024);
    r.put("url", pageUrl(plan, page));
    r.put("fp", Long.toHexString(Integer.toUnsignedLong((plan.spider + "/" + pageUrl(plan, page)).hashCode())));
    return r;
  }

  private static String pageUrl(Plan plan, long page) {
    Object category = plan.args.get("category");
    return "https://shop.example.com/" + (category == null ? "all" : category) + "?page=" + (page + 1);
  }

  /**
   * What the platform's stats collector does while a job runs: posts the current Scrapy stats to
   * the job's metadata; the job summary's counts follow. Readers see counts that lag the stored
   * records by up to one interval, as on the service.
   */
  private static void refreshStats(ProjectState project, JobState job, Plan plan, long now, long started) {
    long count = project.recordStats(job.spiderId(), job.number(), RecordType.ITEMS).inputValues();
    long pages = project.recordStats(job.spiderId(), job.number(), RecordType.REQUESTS).inputValues();
    long logs = project.recordStats(job.spiderId(), job.number(), RecordType.LOGS).inputValues();
    long errors = project.recordStats(job.spiderId(), job.number(), RecordType.LOGS).errorCount();
    synchronized (job) {
      Map<String, Object> stats = new LinkedHashMap<>();
      stats.put("item_scraped_count", count);
      stats.put("response_received_count", pages);
      stats.put("log_count/INFO", logs - errors);
      stats.put("start_time", started);
      job.meta.put("scrapystats", stats);
      job.meta.put("items", count);
      job.meta.put("pages", pages);
      job.meta.put("logs", logs);
      job.meta.put("errors", errors);
    }
    plan.statsAt = now;
  }

  private static void finish(ProjectState project, JobState job, long now, String reason, long started) {
    log(project, job, now, 20, "Closing spider (" + reason + ")");
    long count = project.recordStats(job.spiderId(), job.number(), RecordType.ITEMS).inputValues();
    long pages = project.recordStats(job.spiderId(), job.number(), RecordType.REQUESTS).inputValues();
    RecordStats logs = project.recordStats(job.spiderId(), job.number(), RecordType.LOGS);
    synchronized (job) {
      Map<String, Object> stats = new LinkedHashMap<>();
      stats.put("item_scraped_count", count);
      stats.put("response_received_count", pages);
      stats.put("finish_reason", reason);
      stats.put("log_count/INFO", logs.inputValues() - logs.errorCount());
      if (logs.errorCount() > 0) {
        stats.put("log_count/ERROR", logs.errorCount());
      }
      stats.put("start_time", started);
      stats.put("finish_time", now);
      stats.put("elapsed_time_seconds", (now - started) / 1000.0);
      job.meta.put("scrapystats", stats);
      job.meta.put("items_scraped", count);
      job.meta.put("version", "emulator");
      project.recordRunOutcome(job, reason);
      project.stampState(job, JobState.FINISHED, now);
      job.crawl = null;
    }
  }

  private static void log(ProjectState project, JobState job, long now, int level, String message) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("time", now);
    line.put("level", level);
    line.put("message", message);
    project.records(job.spiderId(), job.number(), RecordType.LOGS).append(RecordCodec.encode(RecordType.LOGS, line), now);
  }
}
