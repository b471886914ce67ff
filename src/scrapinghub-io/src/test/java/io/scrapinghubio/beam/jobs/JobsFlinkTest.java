package io.scrapinghubio.beam.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import io.scrapinghubio.beam.flink.LoopbackFlinkConfig;
import io.scrapinghubio.client.RunRequest;
import io.scrapinghubio.emulator.crawl.CrawlSimulation;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The composite and the no-double-scheduling guarantee on an embedded Flink cluster (batch). */
@Tag("flink")
class JobsFlinkTest {
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(JobsTransformsTest.KEY)
      .crawlSimulation(CrawlSimulation.builder().pendingTime(Duration.ofMillis(10)).runningTime(Duration.ofMillis(150)).build());

  private static ScrapinghubConnection connection(ScrapyCloudEmulator emu) {
    return ScrapinghubConnection.create().withApiKey(JobsTransformsTest.KEY).withStorageEndpoint(emu.storageUrl())
        .withDashEndpoint(emu.dashUrl()).withRetryPolicy(JobsTransformsTest.FAST);
  }

  private static Pipeline flink(int retries) {
    FlinkPipelineOptions o = PipelineOptionsFactory.create().as(FlinkPipelineOptions.class);
    o.setRunner(FlinkRunner.class);
    o.setFlinkMaster("[local]");
    o.setFlinkConfDir(LoopbackFlinkConfig.directory()); // its REST endpoint on 127.0.0.1 only
    o.setParallelism(2);
    return Pipeline.create(o);
  }

  @Test
  void crawlAndReadOnFlink(@TempDir Path dir) throws Exception {
    ScrapyCloudEmulator emu = EMU.emulator();
    emu.state().addSpider(8101, "books"); // the project exists and its spider is deployed
    JobsTransformsTest.runCrawlAndRead(flink(0), connection(emu), 8101, dir);
    JobsTransformsTest.checkCrawlAndRead(emu, 8101, dir);
  }

  @Test
  void flinkRestartAfterSchedulingDoesNotScheduleTwice() {
    ScrapyCloudEmulator emu = EMU.emulator();
    emu.state().addSpider(8102, "books");
    JobsTransformsTest.FAILED_ONCE.set(false);
    Pipeline p = flink(0);
    p.apply(Create.of(List.of(
            RunRequest.of("books").withArg("category", "a").withArg("run_ms", "60000"),
            RunRequest.of("books").withArg("category", "b").withArg("run_ms", "60000"),
            RunRequest.of("books").withArg("category", "c").withArg("run_ms", "60000")))
            .withCoder(SerializableCoder.of(RunRequest.class)))
        .apply(ScrapinghubIO.scheduleJobs().withProject(8102).withConnection(connection(emu)))
        .output()
        .apply(ParDo.of(new JobsTransformsTest.FailOnceFn()))
        .apply(ParDo.of(new JobsTransformsTest.CollectFn()));
    // Flink batch here runs without a restart strategy: re-running the same pipeline (same
    // serialised DoFns and dedupe scope) is what a restart of the failed task does.
    org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    assertEquals(true, JobsTransformsTest.FAILED_ONCE.get());
    p.run().waitUntilFinish();
    assertEquals(3, emu.state().project(8102).jobs().size(), "exactly one job per request after the restart");
  }
}
