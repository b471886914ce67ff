package io.scrapinghubio.beam.follow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scrapinghubio.beam.read.Collected;
import io.scrapinghubio.beam.read.ReadFixture;
import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.beam.flink.LoopbackFlinkConfig;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import io.scrapinghubio.emulator.store.JobState;
import io.scrapinghubio.emulator.store.RecordType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The continuous read on embedded Flink in streaming mode: a job that runs while the pipeline
 * follows it, and jobs finished before and during the run, each delivered once, and the pipeline
 * ends by its termination condition.
 */
@Tag("flink")
class FollowOnFlinkStreamingTest {
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(ReadFixture.KEY);

  @Test
  void followsRunningAndFinishedJobsExactlyOnce() throws Exception {
    ScrapyCloudEmulator emu = EMU.emulator();
    long project = 951;
    String before = ReadFixture.job(emu, project, "products", "finished", List.of(), 700);
    String running = ReadFixture.job(emu, project, "products", "running", List.of(), 0);

    FlinkPipelineOptions o = PipelineOptionsFactory.as(FlinkPipelineOptions.class);
    o.setRunner(FlinkRunner.class);
    o.setFlinkMaster("[local]");
    o.setFlinkConfDir(LoopbackFlinkConfig.directory());
    o.setParallelism(2);
    o.setStreaming(true);
    // No checkpointing: Beam then shuts the finished Impulse source down at once, and Flink fires
    // every pending resume timer immediately from then on. The read must still poll at its
    // interval: if the Watch polled in a tight loop, its 5 idle polls would pass before the job
    // created below ("during") is listed, and that job would be missing.
    Pipeline p = Pipeline.create(o);
    p.apply(ScrapinghubIO.read().withConnection(ReadFixture.connection(emu)).withProject(project)
            .continuously(Duration.millis(200)).withRunningJobs().withTerminationAfterIdlePolls(5))
        .apply(Collected.into("flink-follow"));
    CompletableFuture<PipelineResult.State> run = CompletableFuture.supplyAsync(() -> p.run().waitUntilFinish());

    append(emu, running, 0, 40);
    await("flink-follow", 740, run);
    String during = ReadFixture.job(emu, project, "reviews", "finished", List.of(), 60);
    append(emu, running, 40, 25);
    await("flink-follow", 825, run);
    emu.state().project(project).updateJob(emu.state().job(running).orElseThrow(), JobState.FINISHED, Map.of());
    assertEquals(PipelineResult.State.DONE, run.get(3, TimeUnit.MINUTES));
    Collected.assertExactlyOnce("flink-follow", ReadFixture.expected(emu, RecordType.ITEMS, before, running, during));
  }

  private static void append(ScrapyCloudEmulator emu, String key, int from, int n) {
    List<Object> batch = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      batch.add(Map.of("id", i));
    }
    emu.state().appendItems(key, batch);
  }

  /** Waits (bounded) until the sink holds {@code n} records, failing early if the pipeline ended. */
  private static void await(String sink, int n, CompletableFuture<?> run) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (Collected.counts(sink).size() < n) {
      if (run.isDone()) {
        run.get(); // surfaces the pipeline's failure
        throw new AssertionError("pipeline ended with " + Collected.counts(sink).size() + " of " + n + " records");
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("sink " + sink + " has " + Collected.counts(sink).size() + " of " + n + " records");
      }
      Thread.sleep(50);
    }
  }
}
