package io.scrapinghubio.emulator.store;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds JobQ job-summary lines ({@code jobq/P/list}, {@code summary}, {@code jobsummary},
 * {@code lastjobsummary}).
 *
 * <p>Default line (recorded): {@code key, state, elapsed, spider, ts}, the
 * {@code pending_time/running_time/finished_time} fields the job has, and {@code tags} when
 * non-empty. Finished jobs also carry what the real platform adds for jobs it ran and what
 * readers rely on: {@code close_reason}, {@code items}, {@code logs}, {@code pages} (requests),
 * {@code errors} (log lines at ERROR and above). With {@code jobmeta} the requested fields
 * replace the defaults: {@code key, state, elapsed, ts}, tags when non-empty, then each requested
 * field the job has.
 */
public final class JobSummaries {

  private static final String[] TIME_FIELDS = {"pending_time", "running_time", "finished_time"};

  private JobSummaries() {}

  public static Map<String, Object> summary(ProjectState project, JobState job, long now, List<String> jobmeta) {
    Map<String, Object> meta = job.metadata();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("key", job.key());
    out.put("state", meta.get("state"));
    out.put("elapsed", Math.max(0, now - job.ts()));
    boolean defaults = jobmeta == null || jobmeta.isEmpty();
    if (defaults) {
      out.put("spider", meta.getOrDefault("spider", project.spiderName(job.spiderId())));
    }
    out.put("ts", job.ts());
    if (meta.get("tags") instanceof List && !((List<?>) meta.get("tags")).isEmpty()) {
      out.put("tags", meta.get("tags"));
    }
    if (defaults) {
      for (String f : TIME_FIELDS) {
        if (meta.containsKey(f)) {
          out.put(f, meta.get(f));
        }
      }
      if (JobState.FINISHED.equals(meta.get("state"))) {
        out.put("close_reason", meta.getOrDefault("close_reason", "finished"));
        putCounts(project, job, out, List.of("items", "logs", "pages", "errors"));
      }
    } else {
      for (String f : jobmeta) {
        if (out.containsKey(f)) {
          continue;
        }
        if (meta.containsKey(f)) {
          out.put(f, meta.get(f));
        } else if (List.of("items", "logs", "pages", "errors").contains(f)) {
          putCounts(project, job, out, List.of(f));
        }
      }
    }
    return out;
  }

  private static void putCounts(ProjectState project, JobState job, Map<String, Object> out, List<String> which) {
    for (String f : which) {
      switch (f) {
        case "items":
          out.put(f, project.recordStats(job.spiderId(), job.number(), RecordType.ITEMS).inputValues());
          break;
        case "logs":
          out.put(f, project.recordStats(job.spiderId(), job.number(), RecordType.LOGS).inputValues());
          break;
        case "pages":
          out.put(f, project.recordStats(job.spiderId(), job.number(), RecordType.REQUESTS).inputValues());
          break;
        case "errors":
          out.put(f, project.recordStats(job.spiderId(), job.number(), RecordType.LOGS).errorCount());
          break;
        default:
          break;
      }
    }
  }
}
