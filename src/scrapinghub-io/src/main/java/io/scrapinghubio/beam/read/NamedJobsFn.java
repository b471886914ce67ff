package io.scrapinghubio.beam.read;

import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.beam.connection.SharedClientFn;
import io.scrapinghubio.beam.metrics.ReadPlan;
import io.scrapinghubio.client.core.JobKey;
import io.scrapinghubio.client.errors.NotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.scrapinghubio.client.JobSummary;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * The jobs named in {@code withJobs(...)}, checked before anything is read: a key of a job that
 * does not exist (or that the key cannot see) fails the read, naming it. Without this a typo read
 * as an empty job, and the pipeline "succeeded" with nothing. Runs once (after an
 * {@code Impulse}), with one {@code jobsummary} request per project and 500 keys; each key leaves with
 * its spider's name from that answer, so sizing asks nothing more for it. For the read's
 * {@link ReadPlan} this is its one listing.
 */
final class NamedJobsFn extends SharedClientFn<byte[], KV<String, String>> {
  private static final long serialVersionUID = 1L;
  /** Keys listed in the error, at most. */
  private static final int SHOWN = 20;

  private final List<String> jobKeys;

  NamedJobsFn(ScrapinghubConnection connection, List<String> jobKeys) {
    super(connection, "read");
    this.jobKeys = List.copyOf(jobKeys);
  }

  @ProcessElement
  public void process(OutputReceiver<KV<String, String>> out) {
    ReadPlan.listingStarts(ReadPlan.BOUNDED_READ, 1);
    Map<Long, List<String>> byProject = new LinkedHashMap<>();
    for (String k : jobKeys) {
      byProject.computeIfAbsent(JobKey.parse(k).project(), p -> new ArrayList<>()).add(k);
    }
    List<String> missing = new ArrayList<>();
    Map<String, String> spiders = new LinkedHashMap<>();
    for (Map.Entry<Long, List<String>> e : byProject.entrySet()) {
      Map<JobKey, JobSummary> found = client().getProject(e.getKey()).jobs().summaries(e.getValue());
      for (String k : e.getValue()) {
        JobSummary summary = found.get(JobKey.parse(k));
        if (summary == null) {
          missing.add(k);
        } else {
          spiders.put(k, summary.spider());
        }
      }
    }
    if (!missing.isEmpty()) {
      throw new NotFoundException("withJobs(...): " + missing.size() + " of the " + jobKeys.size()
          + " jobs named do not exist or the API key cannot see them: "
          + (missing.size() <= SHOWN ? missing : missing.subList(0, SHOWN) + " and " + (missing.size() - SHOWN) + " more")
          + "; expected keys of existing jobs, project/spider/job");
    }
    jobKeys.forEach(k -> out.output(KV.of(k, spiders.get(k))));
    ReadPlan.listingFinished(ReadPlan.BOUNDED_READ, jobKeys.size());
  }
}
