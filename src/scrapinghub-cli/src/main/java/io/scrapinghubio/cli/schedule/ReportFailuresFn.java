package io.scrapinghubio.cli.schedule;

import io.scrapinghubio.beam.jobs.JobFailure;
import io.scrapinghubio.cli.progress.LiveCounts;
import org.apache.beam.sdk.transforms.DoFn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each failed job to the command, which lists them after the summary. On a remote cluster
 * the command's JVM is out of reach, so the failure is logged where the worker runs instead (the
 * summary still counts them, from the pipeline's metrics).
 */
final class ReportFailuresFn extends DoFn<JobFailure, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(ReportFailuresFn.class);
  private final String countsId;

  ReportFailuresFn(String countsId) {
    this.countsId = countsId;
  }

  @ProcessElement
  public void process(@Element JobFailure failure) {
    LiveCounts counts = LiveCounts.inThisJvm(countsId);
    if (counts != null) {
      counts.failed(failure.toString());
    } else {
      LOG.warn("Job failed: {}", failure);
    }
  }
}
