package io.scrapinghubio.cli.progress;

import io.scrapinghubio.client.JobQuery;
import io.scrapinghubio.client.JobSummary;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.core.JobKey;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts, in the background, the items the export is going to read: the "of N" of its progress,
 * and what the command needs to know to run a small export without starting a Flink cluster.
 *
 * <p>The pipeline's sizing step knows each job's count, but keeps it inside the pipeline; until the
 * read offers a hook for it, the command asks the job list itself: one request per 1,000 jobs,
 * whose summaries carry each finished job's item count, and a stats request only for a job whose
 * summary lacks it, or for each job of a selection of at most {@code sizeUpTo} jobs, whose bytes
 * are then known too. It runs beside the command's own start-up, never before it; if it fails the
 * progress simply has no total.
 */
public final class PlannedItems {
  private static final Logger LOG = LoggerFactory.getLogger(PlannedItems.class);

  /** What the selection holds; {@code bytes} is -1 when not asked for (more jobs than sized) or unknown. */
  public record Plan(long jobs, long items, long bytes) {}

  private PlannedItems() {}

  /**
   * Starts counting the jobs of {@code project} that {@code query} (per spider, if any) selects.
   *
   * @param sizeUpTo the largest number of jobs whose stats are fetched to learn their bytes
   */
  public static CompletableFuture<Plan> countListed(ClientConfig config, long project, JobQuery query,
      List<String> spiders, LiveCounts counts, int sizeUpTo) {
    return start(counts, () -> {
      try (ScrapinghubClient client = ScrapinghubClient.create(config)) {
        long jobs = 0;
        long items = 0;
        List<JobKey> first = new ArrayList<>(); // the keys only: a project may list millions of jobs
        List<String> each = spiders.isEmpty() ? java.util.Collections.singletonList(null) : spiders;
        for (String spider : each) {
          JobQuery q = spider == null ? query : query.spider(spider);
          for (JobSummary job : client.getProject(project).jobs().iter(q)) {
            jobs++;
            if (first.size() <= sizeUpTo) {
              first.add(job.key());
            }
            OptionalLong n = job.items();
            items += n.isPresent() ? n.getAsLong() : stats(client, job.key())[0];
          }
        }
        return jobs <= sizeUpTo ? sized(client, first) : new Plan(jobs, items, -1);
      }
    });
  }

  /** Starts counting the items of these jobs (their bytes too if there are at most {@code sizeUpTo}). */
  public static CompletableFuture<Plan> countJobs(ClientConfig config, List<JobKey> jobs, LiveCounts counts,
      int sizeUpTo) {
    return start(counts, () -> {
      try (ScrapinghubClient client = ScrapinghubClient.create(config)) {
        Plan plan = sized(client, jobs);
        return jobs.size() <= sizeUpTo ? plan : new Plan(plan.jobs(), plan.items(), -1);
      }
    });
  }

  private static Plan sized(ScrapinghubClient client, List<JobKey> jobs) {
    long items = 0;
    long bytes = 0;
    for (JobKey key : jobs) {
      long[] s = stats(client, key);
      items += s[0];
      // Stats with a count but no bytes leave the size unknown rather than small.
      bytes = bytes < 0 || (s[0] > 0 && s[1] <= 0) ? -1 : bytes + s[1];
    }
    return new Plan(jobs.size(), items, bytes);
  }

  /** The job's item count and bytes from its stats, as the read's sizing step gets them. */
  private static long[] stats(ScrapinghubClient client, JobKey key) {
    var totals = client.getJob(key).items().stats().path("totals");
    return new long[] {totals.path("input_values").asLong(0), totals.path("input_bytes").asLong(0)};
  }

  private interface Count {
    Plan run();
  }

  private static CompletableFuture<Plan> start(LiveCounts counts, Count count) {
    CompletableFuture<Plan> plan = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        Plan p = count.run();
        counts.planned(p.jobs(), p.items());
        plan.complete(p);
      } catch (RuntimeException e) {
        LOG.debug("Could not count the items to export; progress is shown without a total: {}", e.toString());
        plan.completeExceptionally(e);
      }
    }, "scrapinghub-cli-planned-items");
    t.setDaemon(true);
    t.start();
    return plan;
  }
}
