package io.scrapinghubio.cli.schedule;

import io.scrapinghubio.beam.CrawlAndRead;
import io.scrapinghubio.cli.run.LocalStagedOutput;
import io.scrapinghubio.cli.progress.LiveCounts;
import io.scrapinghubio.cli.progress.ProgressDisplay;
import io.scrapinghubio.cli.run.JsonLinesFiles;
import io.scrapinghubio.cli.run.PipelineCounters;
import io.scrapinghubio.cli.run.StagedRun;
import io.scrapinghubio.client.RunRequest;
import java.io.PrintWriter;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler;
import org.apache.beam.sdk.values.PDone;

/**
 * Run requests in; each job scheduled once ({@code crawlAndRead()}: even if a bundle is retried),
 * awaited without holding a worker, its items written as the export writes them; then, if asked,
 * the jobs tagged as consumed once the files exist.
 */
public final class SchedulePipeline {
  private final List<RunRequest> requests;
  private final CrawlAndRead crawl;
  private final boolean tagConsumed;
  private final int shards;

  /**
   * @param crawl the crawl's project, connection, polling and timeout
   * @param tagConsumed whether to tag the jobs (with {@code crawl}'s consumed tag) once their items are written
   */
  public SchedulePipeline(List<RunRequest> requests, CrawlAndRead crawl, boolean tagConsumed, int shards) {
    this.requests = List.copyOf(requests);
    this.crawl = crawl;
    this.tagConsumed = tagConsumed;
    this.shards = shards;
  }

  public ScheduleSummary run(PipelineOptions options, LocalStagedOutput output, LiveCounts counts,
      ProgressDisplay progress, PrintWriter err) {
    Pipeline p = Pipeline.create(options);
    // Every failure of the crawl (a request not scheduled, a job not awaited, not read, not tagged)
    // becomes a line of the command's list instead of failing the run at the first one.
    BadRecordErrorHandler<PDone> failures = p.registerBadRecordErrorHandler(new ReportFailuresFn.Sink(counts.id()));
    CrawlAndRead.Result crawled;
    try (failures) {
      crawled = p
          .apply("RunRequests", Create.of(requests).withCoder(SerializableCoder.of(RunRequest.class)))
          .apply("Crawl", crawl.withBadRecordErrorHandler(failures));
      WriteFilesResult<Void> written = JsonLinesFiles.write(crawled.items(), output, shards, counts);
      if (tagConsumed) {
        // Before the handler closes: the tagging's failures go to it too.
        crawled.markConsumedAfter(written.getPerDestinationOutputFilenames());
      }
    }
    crawled.finished().apply("CountFinishedJobs", ParDo.of(new CountFinishedJobsFn(counts.id())));
    counts.crawling(requests.size());
    // A crawl that failed and read nothing has nothing to show: no empty directory in place of the output.
    StagedRun.Completed done = StagedRun.run(p, output, progress, err, result -> {
      PipelineCounters c = PipelineCounters.of(result);
      return failures(c) == 0 || c.get("read_records") > 0;
    });
    PipelineCounters c = PipelineCounters.of(done.result());
    // jobs_awaited counts the jobs that finished with an accepted close reason; the others are failures.
    return new ScheduleSummary(c.get("jobs_scheduled") + c.get("jobs_already_scheduled"), c.get("jobs_awaited"),
        c.get("read_records"), c.get("read_bytes"), c.get("jobs_tagged"), failures(c), done.seconds(), output.path(),
        done.committed());
  }

  /**
   * Jobs that could not be scheduled, closed with a reason not accepted, or timed out; and, since
   * they too are listed and used to fail the run, jobs that could not be read or tagged.
   */
  private static long failures(PipelineCounters c) {
    return c.get("jobs_schedule_failures") + c.get("jobs_await_failures") + c.get("read_jobs_missing")
        + c.get("jobs_tagged_failures");
  }
}
