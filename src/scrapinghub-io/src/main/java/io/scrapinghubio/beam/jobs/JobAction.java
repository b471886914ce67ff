package io.scrapinghubio.beam.jobs;

import io.scrapinghubio.client.core.ApiKey;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.core.RetryPolicy;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/** Base of {@link UpdateJobTags}, {@link CancelJobs} and {@link DeleteJobs}: job keys in, job keys done out. */
abstract class JobAction<SelfT extends JobAction<SelfT>> extends PTransform<PCollection<String>, JobsResult<String>> {
  private static final long serialVersionUID = 1L;

  final ClientConfig clientConfig;
  final boolean failOnError;

  JobAction(ClientConfig clientConfig, boolean failOnError) {
    this.clientConfig = clientConfig;
    this.failOnError = failOnError;
  }

  abstract SelfT with(ClientConfig config, boolean failOnError);

  abstract JobActionFn.Action action();

  List<String> add() {
    return List.of();
  }

  List<String> remove() {
    return List.of();
  }

  public SelfT withApiKey(String apiKey) {
    return withClientConfig(clientConfig.toBuilder().apiKey(ApiKey.of(apiKey)).build());
  }

  public SelfT withStorageEndpoint(String url) {
    return withClientConfig(clientConfig.toBuilder().storageEndpoint(url).build());
  }

  public SelfT withDashEndpoint(String url) {
    return withClientConfig(clientConfig.toBuilder().dashEndpoint(url).build());
  }

  public SelfT withRetryPolicy(RetryPolicy policy) {
    return withClientConfig(clientConfig.toBuilder().retryPolicy(JobsSpecs.notNull("retryPolicy", policy)).build());
  }

  public SelfT withClientConfig(ClientConfig config) {
    return with(JobsSpecs.notNull("clientConfig", config), failOnError);
  }

  /** Fail the pipeline on the first job that cannot be handled, instead of emitting a failure. */
  public SelfT withFailOnError() {
    return with(clientConfig, true);
  }

  @Override
  public JobsResult<String> expand(PCollection<String> keys) {
    TupleTag<JobFailure> failures = new TupleTag<JobFailure>("failures") {};
    PCollectionTuple t = keys.apply(action().name(),
        ParDo.of(new JobActionFn(clientConfig, action(), add(), remove(), failOnError, failures))
            .withOutputTags(JobActionFn.OUTPUT, TupleTagList.of(failures)));
    return JobsResult.of(t, JobActionFn.OUTPUT, failures);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder b) {
    super.populateDisplayData(b);
    JobsSpecs.connection(b, clientConfig);
    b.add(DisplayData.item("failOnError", failOnError).withLabel("Fail the pipeline on errors"));
  }

  static List<String> tags(List<String> base, String... more) {
    List<String> l = new ArrayList<>(base);
    for (String t : more) {
      JobsSpecs.tag(t);
      if (!l.contains(t)) {
        l.add(t);
      }
    }
    return List.copyOf(l);
  }
}
