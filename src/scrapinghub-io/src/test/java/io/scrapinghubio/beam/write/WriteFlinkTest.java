package io.scrapinghubio.beam.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.flink.LoopbackFlinkConfig;
import io.scrapinghubio.client.collections.StoreType;
import io.scrapinghubio.client.frontier.FrontierRequest;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.transforms.errorhandling.ErrorHandler.BadRecordErrorHandler;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Write then read back on the embedded Flink runner, and a real task failure retried by Flink. */
@Tag("flink")
class WriteFlinkTest {
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(WriteFixture.KEY);

  private static long nextProject = 600;
  private long project;
  private ScrapyCloudEmulator emu;

  @BeforeEach
  void setUp() {
    emu = EMU.emulator();
    project = ++nextProject;
    emu.state().project(project); // requests never create a project
  }

  static Pipeline flink(int retries) {
    FlinkPipelineOptions o = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    o.setRunner(FlinkRunner.class);
    o.setFlinkMaster("[local]");
    o.setFlinkConfDir(LoopbackFlinkConfig.directory()); // its REST endpoint on 127.0.0.1 only
    o.setParallelism(2);
    if (retries > 0) {
      // Flink 1.19 takes the restart strategy from its configuration (the Beam option alone is ignored in batch)
      try {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("flink-conf");
        java.nio.file.Files.writeString(dir.resolve("flink-conf.yaml"), "restart-strategy.type: fixed-delay\n"
            + "restart-strategy.fixed-delay.attempts: " + retries + "\nrestart-strategy.fixed-delay.delay: 100 ms\n");
        o.setFlinkConfDir(dir.toString());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      o.setNumberOfExecutionRetries(retries);
      o.setExecutionRetryDelay(100L);
    }
    return Pipeline.create(o);
  }

  @Test
  void writesCollectionAndFrontierThenReadsThemBack() {
    List<String> json = WriteFixture.records(0, 20_000);
    List<String> urls = WriteFrontierTest.urls(15_000);
    Pipeline p = flink(0);
    try (BadRecordErrorHandler<?> h = WriteFixture.handler(p, "flink")) {
      p.apply("Records", Create.of(json)).apply("ToCollection", ScrapinghubIO.writeToCollection()
          .withConnection(WriteFixture.connection(emu)).withProject(project).to(StoreType.STORE, "on_flink").withMaxBatchRecords(800)
          .withBadRecordErrorHandler(h));
    }
    p.apply("Urls", Create.of(urls)).apply("ToFrontier", ScrapinghubIO.writeToFrontier()
        .withConnection(WriteFixture.connection(emu)).withProject(project).to("on_flink").withMaxBatchRecords(700));
    PipelineResult r = p.run();
    r.waitUntilFinish();

    Map<String, String> got = WriteFixture.readCollection(emu, project, StoreType.STORE, "on_flink");
    assertEquals(20_000, got.size());
    for (int i = 0; i < 20_000; i += 997) {
      assertEquals(io.scrapinghubio.client.json.Json.parse(WriteFixture.record(i)), io.scrapinghubio.client.json.Json.parse(got.get(WriteFixture.key(i))));
    }
    WriteFrontierTest.assertQueuedOnceByHost(WriteFixture.readFrontier(emu, project, "on_flink"), urls);
    assertTrue(WriteFixture.collected("flink").isEmpty());
    assertEquals(15_000, WriteFixture.counter(r, "frontier_newcount"));
  }

  static final AtomicBoolean FAIL_ONCE = new AtomicBoolean();
  static final AtomicInteger ATTEMPT_FAILURES = new AtomicInteger();

  static FrontierRequest failingOnce(String url) {
    if (url.endsWith("/page/11000") && FAIL_ONCE.compareAndSet(true, false)) {
      ATTEMPT_FAILURES.incrementAndGet();
      throw new IllegalStateException("injected task failure after some uploads");
    }
    return FrontierRequest.of(url);
  }

  @Test
  void aTaskFailedAfterUploadIsRetriedByFlinkAndQueuesNothingTwice() {
    List<String> urls = WriteFrontierTest.urls(12_000);
    FAIL_ONCE.set(true);
    ATTEMPT_FAILURES.set(0);
    Pipeline p = flink(2);
    p.apply(Create.of(urls)).apply(ScrapinghubIO.writeRequestsToFrontier(WriteFlinkTest::failingOnce)
        .withConnection(WriteFixture.connection(emu)).withProject(project).to("retried").withMaxBatchRecords(500));
    p.run().waitUntilFinish();

    assertEquals(1, ATTEMPT_FAILURES.get(), "the first attempt failed");
    assertFalse(FAIL_ONCE.get());
    // Uploads before the failure were accepted, then the retried task sent them again: the slots
    // hold every request exactly once.
    long posts = emu.requestLog().matching("POST", "^/hcf/" + project + "/retried/").size();
    assertTrue(posts > 12_000 / 500, "some batches were sent twice: " + posts);
    WriteFrontierTest.assertQueuedOnceByHost(WriteFixture.readFrontier(emu, project, "retried"), urls);
  }
}
