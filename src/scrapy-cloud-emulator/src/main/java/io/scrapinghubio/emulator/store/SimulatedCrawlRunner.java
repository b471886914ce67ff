package io.scrapinghubio.emulator.store;

import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays the platform's runner for simulated crawls: {@link CrawlSimulation} says what a job does,
 * this class makes it happen on the store as the emulator's clock moves. Running jobs write the
 * pages and items due by now and finish when their time is up (or when cancelled); pending jobs
 * start when they have waited long enough and the project's units allow.
 *
 * <p>Called on every request and from a background tick; each call takes the job queue's lock, so
 * the queue never shows a half-applied step.
 */
public final class SimulatedCrawlRunner {
  private SimulatedCrawlRunner() {}

  /**
   * Makes a freshly scheduled pending job a simulated crawl.
   *
   * @param project the job's project
   * @param job a pending job just created by {@code run.json}
   * @param sim the simulation it follows
   */
  public static void plan(ProjectState project, JobState job, CrawlSimulation sim) {
    synchronized (project.jobQueue()) {
      synchronized (job) {
        if (!JobState.PENDING.equals(job.meta.get("state"))) {
          return; // created running/finished through meta.state: not a crawl to simulate
        }
        String spider = String.valueOf(job.meta.get("spider"));
        @SuppressWarnings("unchecked")
        Map<String, Object> args = job.meta.get("spider_args") instanceof Map
            ? new LinkedHashMap<>((Map<String, Object>) job.meta.get("spider_args")) : new LinkedHashMap<>();
        job.crawl = new CrawlPlan(spider, args, sim);
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
    JobQueue queue = project.jobQueue();
    synchronized (queue) {
      List<JobState> simulated = new ArrayList<>();
      for (JobState j : queue.all()) {
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
      int free = sim.unitsCapacity() - queue.runningUnits();
      for (JobState j : JobQueue.pendingInStartOrder(simulated)) {
        int units = j.intField("units", 1);
        if (now - j.longField("pending_time", j.ts()) >= sim.pendingTime().toMillis() && units <= free) {
          start(project, j, now);
          free -= units;
        }
      }
    }
  }

  private static void start(ProjectState project, JobState job, long now) {
    synchronized (job) {
      project.jobQueue().stampState(job, JobState.RUNNING, now);
      job.meta.put("_shub_worker", "kumo-emulator");
    }
    log(project, job, now, 20, "Spider opened");
    CrawlPlan plan;
    long started;
    synchronized (job) {
      plan = job.crawl;
      started = job.longField("running_time", now);
    }
    refreshStats(project, job, plan, now, started); // the platform's collector posts stats when the spider opens
  }

  private static void progress(ProjectState project, JobState job, long now) {
    CrawlPlan plan;
    long started;
    boolean cancelled;
    synchronized (job) {
      plan = job.crawl;
      started = job.longField("running_time", now);
      cancelled = job.meta.containsKey("cancelled_by");
    }
    long elapsed = Math.max(0, now - started);
    boolean done = elapsed >= plan.runMillis;
    // Pages are crawled at an even pace; a page's items are stored with it, in one step.
    long pagesDue = done || plan.runMillis == 0 ? plan.pages() : plan.pages() * elapsed / plan.runMillis;
    RecordLog items = project.records().of(job.spiderId(), job.number(), RecordType.ITEMS);
    RecordLog requests = project.records().of(job.spiderId(), job.number(), RecordType.REQUESTS);
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
  private static Map<String, Object> pageRequest(CrawlPlan plan, long page, long now) {
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

  private static String pageUrl(CrawlPlan plan, long page) {
    Object category = plan.args.get("category");
    return "https://shop.example.com/" + (category == null ? "all" : category) + "?page=" + (page + 1);
  }

  /**
   * What the platform's stats collector does while a job runs: posts the current Scrapy stats to
   * the job's metadata; the job summary's counts follow. Readers see counts that lag the stored
   * records by up to one interval, as on the service.
   */
  private static void refreshStats(ProjectState project, JobState job, CrawlPlan plan, long now, long started) {
    RunCounts counts = project.records().counts(job);
    synchronized (job) {
      Map<String, Object> stats = new LinkedHashMap<>();
      stats.put("item_scraped_count", counts.items());
      stats.put("response_received_count", counts.pages());
      stats.put("log_count/INFO", counts.logs() - counts.errors());
      stats.put("start_time", started);
      job.meta.put("scrapystats", stats);
      job.meta.put("items", counts.items());
      job.meta.put("pages", counts.pages());
      job.meta.put("logs", counts.logs());
      job.meta.put("errors", counts.errors());
    }
    plan.statsAt = now;
  }

  private static void finish(ProjectState project, JobState job, long now, String reason, long started) {
    log(project, job, now, 20, "Closing spider (" + reason + ")");
    RunCounts counts = project.records().counts(job);
    synchronized (job) {
      Map<String, Object> stats = new LinkedHashMap<>();
      stats.put("item_scraped_count", counts.items());
      stats.put("response_received_count", counts.pages());
      stats.put("finish_reason", reason);
      stats.put("log_count/INFO", counts.logs() - counts.errors());
      if (counts.errors() > 0) {
        stats.put("log_count/ERROR", counts.errors());
      }
      stats.put("start_time", started);
      stats.put("finish_time", now);
      stats.put("elapsed_time_seconds", (now - started) / 1000.0);
      job.meta.put("scrapystats", stats);
      job.meta.put("items_scraped", counts.items());
      job.meta.put("version", "emulator");
      project.jobQueue().recordRunOutcome(job, reason);
      project.jobQueue().stampState(job, JobState.FINISHED, now);
      job.crawl = null;
    }
  }

  private static void log(ProjectState project, JobState job, long now, int level, String message) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("time", now);
    line.put("level", level);
    line.put("message", message);
    project.records().of(job.spiderId(), job.number(), RecordType.LOGS).append(RecordCodec.encode(RecordType.LOGS, line), now);
  }
}
