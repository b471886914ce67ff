package io.scrapinghubio.cli.schedule;

import io.scrapinghubio.beam.jobs.JobStatus;
import io.scrapinghubio.cli.progress.LiveCounts;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Counts the crawl's finished jobs for the progress display while the pipeline runs (Beam's own
 * counters reach this JVM only at the end on Flink). Nothing is counted on a remote cluster.
 */
final class CountFinishedJobsFn extends DoFn<JobStatus, Void> {
  private final String countsId;

  CountFinishedJobsFn(String countsId) {
    this.countsId = countsId;
  }

  @ProcessElement
  public void process() {
    LiveCounts counts = LiveCounts.inThisJvm(countsId);
    if (counts != null) {
      counts.jobFinished();
    }
  }
}
