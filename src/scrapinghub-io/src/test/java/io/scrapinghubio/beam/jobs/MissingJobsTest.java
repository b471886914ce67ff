package io.scrapinghubio.beam.jobs;

import io.scrapinghubio.beam.failure.ScrapinghubFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import io.scrapinghubio.emulator.store.JobState;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tagging or cancelling a job that does not exist is a typo: it ends in a NOT_FOUND failure
 * naming the job, not among the jobs done. (Cancelling a job that had already ended: CancelJobsTest.)
 */
class MissingJobsTest {
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(JobsTransformsTest.KEY);

  private static long nextProject = 8800;
  private long project;
  private ScrapyCloudEmulator emu;
  private ClientConfig config;

  @BeforeEach
  void setUp() {
    emu = EMU.emulator();
    project = ++nextProject;
    config = ClientConfig.builder().apiKey(JobsTransformsTest.KEY).storageEndpoint(emu.storageUrl())
        .dashEndpoint(emu.dashUrl()).retryPolicy(JobsTransformsTest.FAST).build();
    JobsTransformsTest.SEEN.clear();
  }

  private static PCollection<String> keys(Pipeline p, String name, String... k) {
    return p.apply(name, Create.of(List.of(k)).withCoder(StringUtf8Coder.of()));
  }

  @Test
  void taggingOrCancellingAJobThatDoesNotExistIsANotFoundFailureNamingIt() {
    String pending = emu.state().addJob(project, "products", JobState.PENDING, Map.of()).key();
    String finished = emu.state().addJob(project, "products", JobState.FINISHED, Map.of()).key();
    String missing = project + "/1/999";
    Pipeline p = JobsTransformsTest.pipeline();
    JobFailures handler = JobFailures.register(p);
    // One place names the connection, so that only these lines follow a change of the connection API.
    JobsResult<String> tagged = keys(p, "ToTag", finished, missing).apply("Tag", ScrapinghubIO.updateJobTags().withConnection(io.scrapinghubio.beam.connection.ScrapinghubConnection.fromClientConfig(config)).withAdd("seen").withBadRecordErrorHandler(handler.handler()));
    JobsResult<String> cancelled = keys(p, "ToCancel", pending, missing).apply("Cancel", ScrapinghubIO.cancelJobs().withConnection(io.scrapinghubio.beam.connection.ScrapinghubConnection.fromClientConfig(config)).withBadRecordErrorHandler(handler.handler()));
    JobsTransformsTest.collect(tagged.output());
    JobsTransformsTest.collect(cancelled.output());
    handler.close();
    p.run().waitUntilFinish();

    List<String> done = JobsTransformsTest.seen(String.class);
    assertEquals(2, done.size(), String.valueOf(done)); // the finished job tagged, the pending one cancelled
    assertTrue(done.containsAll(List.of(pending, finished)) && !done.contains(missing), String.valueOf(done));
    List<JobFailure> failures = handler.get();
    assertEquals(2, failures.size(), String.valueOf(failures));
    for (JobFailure f : failures) {
      assertEquals(missing, f.jobKey());
      assertEquals(ScrapinghubFailure.Kind.NOT_FOUND, f.kind());
      assertTrue(f.message().contains(missing) && f.message().contains("no such job"), f.message());
    }
  }
}
