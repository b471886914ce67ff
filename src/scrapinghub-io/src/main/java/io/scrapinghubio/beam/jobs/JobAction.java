package io.scrapinghubio.beam.jobs;

import io.scrapinghubio.beam.connection.ScrapinghubConnection;
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

  final ScrapinghubConnection connection;
  final boolean failOnError;

  JobAction(ScrapinghubConnection connection, boolean failOnError) {
    this.connection = connection;
    this.failOnError = failOnError;
  }

  abstract SelfT with(ScrapinghubConnection connection, boolean failOnError);

  abstract JobActionFn.Action action();

  List<String> add() {
    return List.of();
  }

  List<String> remove() {
    return List.of();
  }

  /** How to reach Scrapy Cloud (endpoints, API key, timeouts, retries); default {@code ScrapinghubIO.connection()}. */
  public SelfT withConnection(ScrapinghubConnection connection) {
    return with(JobsSpecs.notNull("connection", connection), failOnError);
  }

  /** Fail the pipeline on the first job that cannot be handled, instead of emitting a failure. */
  public SelfT withFailOnError() {
    return with(connection, true);
  }

  @Override
  public JobsResult<String> expand(PCollection<String> keys) {
    TupleTag<JobFailure> failures = new TupleTag<JobFailure>("failures") {};
    PCollectionTuple t = keys.apply(action().name(),
        ParDo.of(new JobActionFn(connection, action(), add(), remove(), failOnError, failures))
            .withOutputTags(JobActionFn.OUTPUT, TupleTagList.of(failures)));
    return JobsResult.of(t, JobActionFn.OUTPUT, failures);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder b) {
    super.populateDisplayData(b);
    connection.populateDisplayData(b);
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
