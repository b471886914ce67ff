package io.scrapinghubio.cli.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scrapinghubio.beam.failure.BadRecords;
import io.scrapinghubio.beam.failure.ScrapinghubFailure;
import io.scrapinghubio.beam.failure.ScrapinghubFailure.Kind;
import io.scrapinghubio.beam.failure.ScrapinghubFailure.Operation;
import io.scrapinghubio.client.RunRequest;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.junit.jupiter.api.Test;

/** The lines the command lists, read back from the crawl's bad records as the job transforms word them. */
class ReportFailuresFnTest {
  private static BadRecord job(String key, String description) {
    return BadRecords.of(key, StringUtf8Coder.of(), "\"" + key + "\"", new IllegalStateException(description), description);
  }

  private static BadRecord job(ScrapinghubFailure f) {
    return job(f.subject(), f.description());
  }

  private static BadRecord request(RunRequest r, ScrapinghubFailure f) {
    String description = f.description();
    return BadRecords.of(r, SerializableCoder.of(RunRequest.class), "\"" + r + "\"", new IllegalStateException(description),
        description);
  }

  @Test
  void aRequestNotScheduledNamesTheSpiderItsArgumentsAndTheServicesWords() {
    RunRequest r = RunRequest.of("nope").withArg("category", "poetry");
    assertEquals("spider nope (category=poetry) was not scheduled: Spider nope not found (HTTP 400)",
        ReportFailuresFn.describe(request(r, ScrapinghubFailure.ofRequest(Kind.BAD_REQUEST, r.toString(), 400, 1,
            "POST https://app.example/api/run.json failed: Spider nope not found"))));
  }

  @Test
  void aJobClosedOrTimedOutOrNotTaggedNamesTheJob() {
    assertEquals("job 1/2/3 finished with close reason 'failed', expected one of [finished] (--close-reason)",
        ReportFailuresFn.describe(job(ScrapinghubFailure.ofJob(Kind.CLOSE_REASON, Operation.AWAIT, "1/2/3", -1, 1,
            "job 1/2/3 finished with close reason 'failed', expected one of [finished]"))));
    assertEquals("job 1/2/3 still running after 1000 ms (target state finished) (--timeout)",
        ReportFailuresFn.describe(job(ScrapinghubFailure.ofJob(Kind.TIMEOUT, Operation.AWAIT, "1/2/3", -1, 1,
            "job 1/2/3 still running after 1000 ms (target state finished)"))));
    assertEquals("job 1/2/3 could not be tagged: no such job (HTTP 404)",
        ReportFailuresFn.describe(job(ScrapinghubFailure.ofJob(Kind.NOT_FOUND, Operation.UPDATE_TAGS, "1/2/3", 404, 1,
            "POST https://app.example/api/jobs/update.json failed: no such job"))));
  }

  @Test
  void anyOtherBadRecordIsListedByItsDescriptionOnOneLine() {
    assertEquals("NOT_FOUND: job 1/2/3: gone", ReportFailuresFn.describe(job("1/2/3", "NOT_FOUND: job 1/2/3:\ngone")));
    assertEquals("CONVERSION: record 1/2/3/4 of job 1/2/3: field 'x': no",
        ReportFailuresFn.describe(job("1/2/3/4", ScrapinghubFailure.ofRecord("1/2/3/4", "field 'x':\nno").description())));
  }
}
