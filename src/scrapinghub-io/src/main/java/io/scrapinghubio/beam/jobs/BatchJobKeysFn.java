package io.scrapinghubio.beam.jobs;

import io.scrapinghubio.beam.failure.ScrapinghubFailure;
import io.scrapinghubio.client.core.JobKey;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Checks each job key and keys it by project, for {@code GroupIntoBatches}: {@code awaitJobs()}
 * then polls each batch of one project with one request. A malformed key goes to the failure output.
 */
final class BatchJobKeysFn extends DoFn<String, KV<Long, String>> {
  private static final long serialVersionUID = 1L;

  private final boolean failFast;
  private final TupleTag<KV<Long, String>> output;
  private final TupleTag<JobFailure> failures;

  BatchJobKeysFn(boolean failFast, TupleTag<KV<Long, String>> output, TupleTag<JobFailure> failures) {
    this.failFast = failFast;
    this.output = output;
    this.failures = failures;
  }

  @ProcessElement
  public void process(@Element String key, MultiOutputReceiver out) {
    JobKey k;
    try {
      k = JobKey.parse(key);
    } catch (IllegalArgumentException e) {
      JobFailure f = new JobFailure("await", null, key, ScrapinghubFailure.Kind.INVALID_INPUT, -1, e.getMessage(), 0);
      if (failFast) {
        throw new JobFailureRouting.JobFailedException(JobFailureRouting.description(f), e);
      }
      out.get(failures).output(f);
      return;
    }
    out.get(output).output(KV.of(k.project(), k.toString()));
  }
}
