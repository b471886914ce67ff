package io.scrapinghubio.beam.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import io.scrapinghubio.emulator.store.RecordType;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.joda.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code ScrapinghubIO.read().continuously(...)} against the emulator, on the Direct runner in streaming mode. */
class FollowProjectTest {
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(ReadFixture.KEY);

  private static long nextProject = 500;
  private long project;
  private ScrapyCloudEmulator emu;

  @BeforeEach
  void setUp() {
    emu = EMU.emulator();
    project = ++nextProject; // a fresh project per test: tests share one emulator
  }

  static Pipeline streamingPipeline() {
    DirectOptions o = PipelineOptionsFactory.as(DirectOptions.class);
    o.setTargetParallelism(4);
    o.setBlockOnRun(false);
    o.as(org.apache.beam.sdk.options.StreamingOptions.class).setStreaming(true);
    return Pipeline.create(o);
  }

  private ScrapinghubRead<ScrapinghubRecord> follow(Duration poll) {
    return ScrapinghubIO.read().withConnection(ReadFixture.connection(emu)).withProject(project).continuously(poll);
  }

  private String listings() {
    return "^/jobq/" + project + "/list$";
  }

  @Test
  void jobsFinishedBeforeAndWhileRunningAreEachDeliveredExactlyOnce() {
    String before1 = ReadFixture.job(emu, project, "products", "finished", List.of(), 1200);
    String before2 = ReadFixture.job(emu, project, "reviews", "finished", List.of(), 3);
    Pipeline p = streamingPipeline();
    p.apply(follow(Duration.millis(200)).withTerminationAfterIdlePolls(10)).apply(Collected.into("follow-finished"));
    PipelineResult r = p.run();
    emu.requestLog().awaitMatching("GET", listings(), 1);
    String during1 = ReadFixture.job(emu, project, "products", "finished", List.of(), 250);
    String during2 = ReadFixture.job(emu, project, "products", "finished", List.of(), 0);
    r.waitUntilFinish(Duration.standardMinutes(2));
    assertEquals(PipelineResult.State.DONE, r.getState());
    List<ScrapinghubRecord> expected = new ArrayList<>(ReadFixture.expected(emu, RecordType.ITEMS, before1, before2, during1, during2));
    Collected.assertExactlyOnce("follow-finished", expected);
    assertEquals(1453, ScrapinghubIOReadTest.counter(r, "follow_records"));
    assertEquals(4, ScrapinghubIOReadTest.counter(r, "follow_jobs_followed"));
    assertEquals(4, ScrapinghubIOReadTest.counter(r, "follow_jobs_finished"));
    assertTrue(ScrapinghubIOReadTest.counter(r, "follow_polls") >= 11, "polled until 10 polls in a row found nothing new");
  }
}
