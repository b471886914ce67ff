package io.scrapinghubio.emulator.store;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds JobQ job-summary lines ({@code jobq/P/list}, {@code summary}, {@code jobsummary},
 * {@code lastjobsummary}) from what the job has, and nothing else.
 *
 * <p>Default line (recorded): {@code key, state, elapsed, spider, ts}, the
 * {@code pending_time/running_time/finished_time} fields the job has, and {@code tags} when
 * non-empty. The fields the platform's runner records on jobs it ran ({@code close_reason},
 * {@code items}, {@code logs}, {@code pages}, {@code errors}, {@code version}) appear only when the
 * job's metadata holds them: a job pushed or finished through JobQ by a client has none of them
 * on the real service (recorded: finished jobs' lines carry only {@code finished_time}), so a
 * reader that needs a count must ask {@code items/P/S/J/stats}. With {@code jobmeta} the requested
 * fields replace the defaults: {@code key, state, elapsed, ts}, tags when non-empty, then each
 * requested field the job has.
 */
public final class JobSummaries {

  private static final String[] TIME_FIELDS = {"pending_time", "running_time", "finished_time"};
  /** Written by the platform's runner when a job it ran ends (see {@link JobQueue#recordRunOutcome}). */
  private static final String[] RUNNER_FIELDS = {"close_reason", "items", "logs", "pages", "errors", "version"};

  private JobSummaries() {}

  /**
   * A job as the job queue lists it: key, state, times, counters and the metadata asked for.
   *
   * @param project the job's project
   * @param job the job
   * @param now the current time, epoch ms
   * @param jobmeta metadata fields to add (the request's {@code jobmeta}); null or empty for the
   *     default ones
   * @return the summary, a JSON object
   */
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
      copyPresent(meta, out, TIME_FIELDS);
      copyPresent(meta, out, RUNNER_FIELDS);
    } else {
      for (String f : jobmeta) {
        if (!out.containsKey(f) && meta.containsKey(f)) {
          out.put(f, meta.get(f));
        }
      }
    }
    return out;
  }

  private static void copyPresent(Map<String, Object> meta, Map<String, Object> out, String[] fields) {
    for (String f : fields) {
      if (meta.containsKey(f)) {
        out.put(f, meta.get(f));
      }
    }
  }
}
