package io.scrapinghubio.cli.export;

import io.scrapinghubio.cli.console.Counted;
import io.scrapinghubio.cli.console.RunFailure;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.core.ClientConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code export --consumed-tag=TAG}: once an export's lines are published, each job it read is
 * tagged, so that the next export with the same tag (which selects {@code --lacks-tag=TAG}) reads
 * only the jobs that finished since. Tagging comes strictly after publishing: a run that fails or is
 * stopped, or killed, before its output appears tags nothing, so no job is marked exported whose
 * items are not in an output.
 */
final class ConsumedTag {
  /** Tag requests in flight at once: one round trip each, and a project may have thousands of jobs. */
  private static final int CONCURRENCY = 8;

  private ConsumedTag() {}

  /**
   * Tags every job of {@code jobKeys} with {@code tag}; returns how many.
   *
   * @throws RunFailure naming the jobs that could not be tagged (their items are published: a
   *     next run would export them again)
   */
  static int tag(ClientConfig config, List<String> jobKeys, String tag, String publishedTo) {
    List<String> failed = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY, r -> {
      Thread t = new Thread(r, "scrapinghub-cli-tag");
      t.setDaemon(true);
      return t;
    });
    try (ScrapinghubClient client = ScrapinghubClient.create(config)) {
      List<Future<?>> calls = new ArrayList<>();
      for (String key : jobKeys) {
        calls.add(pool.submit(() -> client.getJob(key).updateTags(List.of(tag), List.of())));
      }
      for (int i = 0; i < calls.size(); i++) {
        try {
          calls.get(i).get();
        } catch (ExecutionException e) {
          failed.add(jobKeys.get(i) + " (" + e.getCause().getMessage() + ")");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          failed.add(jobKeys.get(i) + " (interrupted)");
        }
      }
    } finally {
      pool.shutdownNow();
    }
    if (!failed.isEmpty()) {
      throw new RunFailure("the export is complete in " + publishedTo + ", but " + Counted.of(failed.size(), "job")
          + " of " + jobKeys.size() + " could not be tagged '" + tag + "', so a next run with --consumed-tag=" + tag
          + " would export them again; first: " + failed.get(0));
    }
    return jobKeys.size();
  }
}
