package io.scrapinghubio.beam.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.beam.ScrapinghubIO;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.fault.FaultKind;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code frontier_duplicates} counts only requests the service really found already known: an
 * upload re-sent because its answer was lost finds the requests its first attempt queued "known",
 * and those are reported as {@code frontier_unconfirmed}, not as duplicates the caller never sent.
 */
class FrontierDuplicatesTest {
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(WriteFixture.KEY);

  private static long nextProject = 900;
  private long project;
  private ScrapyCloudEmulator emu;

  @BeforeEach
  void setUp() {
    emu = EMU.emulator();
    project = ++nextProject;
    emu.state().project(project); // configures it: requests do not create projects on a strict emulator
  }

  /** One place to name the connection, so that only this line follows a change of the connection API. */
  private WriteToFrontier<String> write(String frontier) {
    return ScrapinghubIO.writeToFrontier().withConnection(io.scrapinghubio.beam.connection.ScrapinghubConnection.fromClientConfig(WriteFixture.config(emu))).withProject(project).to(frontier)
        .withMaxBatchRecords(500).withMaxUploadsInFlight(2);
  }

  private PipelineResult run(List<String> input, String frontier) {
    Pipeline p = WriteFixture.direct();
    p.apply(Create.of(input)).apply(write(frontier));
    PipelineResult r = p.run();
    r.waitUntilFinish();
    return r;
  }

  @Test
  void lostAnswersAddNoPhantomDuplicates() {
    List<String> urls = WriteFrontierTest.urls(10_000);
    // The service queues each of these uploads, then the connection drops before its answer.
    emu.faults().loseAckNext(5, "POST", "^/hcf/" + project + "/");
    PipelineResult r = run(urls, "lost");
    assertEquals(5, emu.faults().injectedCount(FaultKind.RESET_AFTER_HANDLING));
    emu.resetFaults();

    WriteFrontierTest.assertQueuedOnceByHost(WriteFixture.readFrontier(emu, project, "lost"), urls);
    assertEquals(0, WriteFixture.counter(r, "frontier_duplicates"), "every URL is distinct");
    long unconfirmed = WriteFixture.counter(r, "frontier_unconfirmed");
    assertTrue(unconfirmed > 0, "the re-sent batches found their requests queued by the lost attempt");
    assertEquals(10_000, WriteFixture.counter(r, "frontier_newcount") + unconfirmed);
  }

  @Test
  void duplicatesInTheInputAreStillCounted() {
    List<String> urls = WriteFrontierTest.urls(6_000);
    List<String> input = new ArrayList<>(urls);
    input.addAll(urls.subList(0, 700));
    emu.faults().loseAckNext(3, "POST", "^/hcf/" + project + "/");
    PipelineResult r = run(input, "dups");
    emu.resetFaults();

    WriteFrontierTest.assertQueuedOnceByHost(WriteFixture.readFrontier(emu, project, "dups"), urls);
    long newcount = WriteFixture.counter(r, "frontier_newcount");
    long duplicates = WriteFixture.counter(r, "frontier_duplicates");
    long unconfirmed = WriteFixture.counter(r, "frontier_unconfirmed");
    assertEquals(6_700, newcount + duplicates + unconfirmed);
    assertTrue(duplicates <= 700, "never more duplicates than the input holds: " + duplicates);
    assertTrue(duplicates >= 700 - unconfirmed, "only the duplicates that fell in a re-sent batch can be unconfirmed");
  }
}
