package io.scrapinghubio.cli.export;

import io.scrapinghubio.client.JobQuery;
import io.scrapinghubio.client.JobSummary;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.core.JobKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds out, in the background, whether a selection is small enough for {@link SmallExport}: that
 * must be known before the runner starts, so it cannot come from the pipeline's own sizing (which
 * gives the progress its total). Its cost is bounded whatever the selection: at most one listing
 * request per spider, asking for one job more than {@code maxJobs} and stopping as soon as more
 * have been seen, then a stats request for each of at most {@code maxJobs} jobs, which gives their
 * item counts and bytes as the read's sizing gets them. If it fails the export simply runs on the
 * cluster.
 */
final class SmallSelectionProbe {
  private static final Logger LOG = LoggerFactory.getLogger(SmallSelectionProbe.class);

  /**
   * What the probe found: the selection's jobs, items and bytes; or, when it holds more than the
   * probe sizes, {@code jobs} above that limit and items and bytes -1 (unknown). Bytes are -1 too
   * when a job's stats have a count but no size.
   *
   * @param jobs the jobs selected, or a number above the probe's limit
   * @param items the items they hold, or -1
   * @param bytes their bytes, or -1
   */
  record Size(long jobs, long items, long bytes) {}

  private SmallSelectionProbe() {}

  /**
   * Starts probing the jobs of {@code project} that {@code query} (per spider, if any) selects.
   *
   * @param config how to reach the service
   * @param project the project
   * @param query the read's job filters
   * @param spiders the spiders selected, each listed by itself; empty for all
   * @param maxJobs the most jobs a small selection has
   * @return the size found, or the failure
   */
  static CompletableFuture<Size> ofListed(ClientConfig config, long project, JobQuery query, List<String> spiders,
      int maxJobs) {
    return start(() -> {
      try (ScrapinghubClient client = ScrapinghubClient.create(config)) {
        List<JobKey> keys = new ArrayList<>();
        List<String> each = spiders.isEmpty() ? java.util.Collections.singletonList(null) : spiders;
        for (String spider : each) {
          JobQuery q = spider == null ? query : query.spider(spider);
          // One page of at most maxJobs + 1 jobs (the read's own limit, if lower, still applies):
          // one more than a small selection has is enough to know this one is not small.
          q = q.limit(Math.min(q.limit(), maxJobs + 1L - keys.size()));
          for (JobSummary job : client.getProject(project).jobs().iter(q)) {
            keys.add(job.key());
          }
          if (keys.size() > maxJobs) {
            return new Size(keys.size(), -1, -1);
          }
        }
        return sized(client, keys);
      }
    });
  }

  /**
   * Starts probing these named jobs: their stats if there are at most {@code maxJobs}, else nothing
   * is asked.
   *
   * @param config how to reach the service
   * @param jobs the jobs named
   * @param maxJobs the most jobs a small selection has
   * @return the size found, or the failure
   */
  static CompletableFuture<Size> ofJobs(ClientConfig config, List<JobKey> jobs, int maxJobs) {
    if (jobs.size() > maxJobs) {
      return CompletableFuture.completedFuture(new Size(jobs.size(), -1, -1));
    }
    return start(() -> {
      try (ScrapinghubClient client = ScrapinghubClient.create(config)) {
        return sized(client, jobs);
      }
    });
  }

  private static Size sized(ScrapinghubClient client, List<JobKey> jobs) {
    long items = 0;
    long bytes = 0;
    for (JobKey key : jobs) {
      var totals = client.getJob(key).items().stats().path("totals");
      long count = totals.path("input_values").asLong(0);
      long size = totals.path("input_bytes").asLong(0);
      items += count;
      // Stats with a count but no bytes leave the size unknown rather than small.
      bytes = bytes < 0 || (count > 0 && size <= 0) ? -1 : bytes + size;
    }
    return new Size(jobs.size(), items, bytes);
  }

  /** Runs {@code probe} in a daemon thread of its own, beside the command building its pipeline. */
  private static CompletableFuture<Size> start(Supplier<Size> probe) {
    return CompletableFuture.supplyAsync(probe, run -> {
      Thread t = new Thread(run, "scrapinghub-cli-small-selection-probe");
      t.setDaemon(true);
      t.start();
    }).whenComplete((size, e) -> {
      if (e != null) {
        LOG.debug("Could not probe the selection's size; the export runs on the Flink cluster: {}", e.toString());
      }
    });
  }
}
