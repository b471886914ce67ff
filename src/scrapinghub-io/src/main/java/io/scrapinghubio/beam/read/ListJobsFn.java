package io.scrapinghubio.beam.read;

import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.beam.connection.SharedClientFn;
import io.scrapinghubio.client.JobQuery;
import io.scrapinghubio.client.JobSummary;
import io.scrapinghubio.beam.metrics.ClientMetrics;
import io.scrapinghubio.beam.metrics.ReadPlan;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Lists the jobs a read selects, paging through the job queue (past its 1000-job pages), once per
 * selected spider, each key with its spider's name from the same listing (records name their spider,
 * and sizing then asks nothing more for it). Runs once (after an {@code Impulse}); the keys are then reshuffled so that sizing
 * and reading spread over all workers. An empty listing is explained by {@link EmptySelection}.
 * Each spider's listing, once finished, tells the read's {@link ReadPlan} how many jobs it listed, so
 * that the plan knows when sizing has seen them all.
 */
final class ListJobsFn extends SharedClientFn<byte[], KV<String, String>> {
  private final long project;
  private final JobQuery query;
  private final List<String> spiders;
  private final Counter listed = Metrics.counter(ClientMetrics.NAMESPACE, "read_jobs_listed");

  ListJobsFn(ScrapinghubConnection connection, long project, JobQuery query, List<String> spiders) {
    super(connection, "read");
    this.project = project;
    this.query = query;
    this.spiders = spiders;
  }

  @ProcessElement
  public void process(OutputReceiver<KV<String, String>> out) {
    List<String> each = spiders.isEmpty() ? java.util.Collections.singletonList(null) : spiders;
    EmptySelection empty = new EmptySelection(client(), project);
    ReadPlan.listingStarts(ReadPlan.BOUNDED_READ, each.size());
    for (String spider : each) {
      JobQuery q = spider == null ? query : query.spider(spider);
      long n = 0;
      for (JobSummary job : client().getProject(project).jobs().iter(q)) {
        out.output(KV.of(job.key().toString(), job.spider()));
        listed.inc();
        n++;
      }
      if (n == 0) {
        empty.explain(spider, q); // a typo'd project or spider fails here; a truly empty one is logged
      }
      ReadPlan.listingFinished(ReadPlan.BOUNDED_READ, n);
    }
  }
}
