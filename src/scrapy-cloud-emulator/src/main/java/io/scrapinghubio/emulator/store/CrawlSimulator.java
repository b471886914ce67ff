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
    long written;

    Plan(String spider, Map<String, Object> args, long items, long runMillis, String closeReason) {
      this.spider = spider;
      this.args = args;
      this.items = items;
      this.runMillis = runMillis;
      this.closeReason = closeReason;
    }
  }

  /** Makes a freshly scheduled pending job a simulated crawl. */
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
        job.crawl = new Plan(spider, args, sim.itemCount(spider, args), sim.runningMillis(spider, args),
            sim.closeReason(spider, args));
      }
    }
  }

  /** Advances every simulated job of {@code project} to {@code now}. */
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
    log(project, job, now, "Spider opened");
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
    long due = done || plan.runMillis == 0 ? plan.items : plan.items * elapsed / plan.runMillis;
    RecordLog items = project.records(job.spiderId(), job.number(), RecordType.ITEMS);
    while (plan.written < due) {
      items.append(RecordCodec.encode(RecordType.ITEMS, CrawlSimulation.item(plan.spider, plan.args, plan.written)), now);
      plan.written++;
    }
    if (cancelled) {
      finish(project, job, now, "cancelled", started);
    } else if (done) {
      finish(project, job, now, plan.closeReason, started);
    }
  }

  private static void finish(ProjectState project, JobState job, long now, String reason, long started) {
    log(project, job, now, "Closing spider (" + reason + ")");
    long count = project.recordStats(job.spiderId(), job.number(), RecordType.ITEMS).inputValues();
    synchronized (job) {
      Map<String, Object> stats = new LinkedHashMap<>();
      stats.put("item_scraped_count", count);
      stats.put("finish_reason", reason);
      stats.put("log_count/INFO", 2);
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

  private static void log(ProjectState project, JobState job, long now, String message) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("time", now);
    line.put("level", 20);
    line.put("message", message);
    project.records(job.spiderId(), job.number(), RecordType.LOGS).append(RecordCodec.encode(RecordType.LOGS, line), now);
  }
}
