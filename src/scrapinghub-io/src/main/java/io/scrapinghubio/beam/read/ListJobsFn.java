package io.scrapinghubio.beam.read;

import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.JobQuery;
import io.scrapinghubio.client.JobSummary;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.beam.metrics.ClientMetrics;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Lists the jobs a read selects, paging through the job queue (past its 1000-job pages), once per
 * selected spider. Runs once (after an {@code Impulse}); the keys are then reshuffled so that sizing
 * and reading spread over all workers. An empty listing is explained by {@link EmptySelection}.
 */
final class ListJobsFn extends DoFn<byte[], String> {
  private final ClientConfig config;
  private final long project;
  private final JobQuery query;
  private final List<String> spiders;
  private final Counter listed = Metrics.counter(ClientMetrics.NAMESPACE, "read_jobs_listed");
  private transient ScrapinghubClient client;

  ListJobsFn(ClientConfig config, long project, JobQuery query, List<String> spiders) {
    this.config = config;
    this.project = project;
    this.query = query;
    this.spiders = spiders;
  }

  @Setup
  public void setup() {
    client = ScrapinghubClient.create(config);
  }

  @ProcessElement
  public void process(OutputReceiver<String> out) {
    List<String> each = spiders.isEmpty() ? java.util.Collections.singletonList(null) : spiders;
    EmptySelection empty = new EmptySelection(client, project);
    for (String spider : each) {
      JobQuery q = spider == null ? query : query.spider(spider);
      long n = 0;
      for (JobSummary job : client.getProject(project).jobs().iter(q)) {
        out.output(job.key().toString());
        listed.inc();
        n++;
      }
      if (n == 0) {
        empty.explain(spider, q); // a typo'd project or spider fails here; a truly empty one is logged
      }
    }
  }

  @Teardown
  public void teardown() {
    if (client != null) {
      client.close();
    }
  }
}
