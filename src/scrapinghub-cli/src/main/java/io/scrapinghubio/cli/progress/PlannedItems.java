package io.scrapinghubio.cli.progress;

import io.scrapinghubio.client.JobQuery;
import io.scrapinghubio.client.JobSummary;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.core.JobKey;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts, in the background, the items the export is going to read: the "of N" of its progress.
 *
 * <p>The pipeline's sizing step knows each job's count, but keeps it inside the pipeline; until the
 * read offers a hook for it, the command asks the job list itself: one request per 1,000 jobs,
 * whose summaries carry each finished job's item count, and a stats request only for a job whose
 * summary lacks it. It runs beside the pipeline, never before it, so it costs the export no time;
 * if it fails the progress simply has no total.
 */
public final class PlannedItems {
  private static final Logger LOG = LoggerFactory.getLogger(PlannedItems.class);

  private PlannedItems() {}

  /** Starts counting the jobs of {@code project} that {@code query} (per spider, if any) selects. */
  public static void countListed(ClientConfig config, long project, JobQuery query, List<String> spiders,
      LiveCounts counts) {
    start(counts, () -> {
      try (ScrapinghubClient client = ScrapinghubClient.create(config)) {
        long jobs = 0;
        long items = 0;
        List<String> each = spiders.isEmpty() ? java.util.Collections.singletonList(null) : spiders;
        for (String spider : each) {
          JobQuery q = spider == null ? query : query.spider(spider);
          for (JobSummary job : client.getProject(project).jobs().iter(q)) {
            jobs++;
            OptionalLong n = job.items();
            items += n.isPresent() ? n.getAsLong() : storedItems(client, job.key());
          }
        }
        counts.planned(jobs, items);
      }
    });
  }

  /** Starts counting the items of these jobs. */
  public static void countJobs(ClientConfig config, List<JobKey> jobs, LiveCounts counts) {
    start(counts, () -> {
      try (ScrapinghubClient client = ScrapinghubClient.create(config)) {
        long items = 0;
        for (JobKey key : jobs) {
          items += storedItems(client, key);
        }
        counts.planned(jobs.size(), items);
      }
    });
  }

  /** The job's item count from its stats, as the read's sizing step gets it. */
  private static long storedItems(ScrapinghubClient client, JobKey key) {
    return client.getJob(key).items().stats().path("totals").path("input_values").asLong(0);
  }

  private static void start(LiveCounts counts, Runnable count) {
    Thread t = new Thread(() -> {
      try {
        count.run();
      } catch (RuntimeException e) {
        LOG.debug("Could not count the items to export; progress is shown without a total: {}", e.toString());
      }
    }, "scrapinghub-cli-planned-items");
    t.setDaemon(true);
    t.start();
  }
}
