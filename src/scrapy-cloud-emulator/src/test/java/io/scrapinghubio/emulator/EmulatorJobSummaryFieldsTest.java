package io.scrapinghubio.emulator;

import static io.scrapinghubio.emulator.TestHttp.map;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scrapinghubio.emulator.demo.DemoData;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import io.scrapinghubio.emulator.store.JobState;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Job listings carry only what the real service sends: a job finished by a client (JobQ update,
 * or created finished) has no {@code close_reason} and no item/log/page/error counters, even when
 * it has items; jobs the platform ran (demo data) carry what its runner recorded.
 */
class EmulatorJobSummaryFieldsTest {
  private static final long DEMO = 2222222L;
  private static final long OTHER = 4100L;

  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey("KEY")
      .demoData(DemoData.of(1, 3).withProject(DEMO));

  @Test
  void aJobFinishedByAClientHasNoInventedFields(ScrapyCloudEmulator emu) {
    emu.state().project(OTHER);
    String key = emu.state().addJob(OTHER, "s", JobState.FINISHED, Map.of()).key();
    emu.state().appendItems(key, List.of(Map.of("a", 1), Map.of("a", 2)));
    TestHttp h = new TestHttp(emu, "KEY");
    // Recorded (test_jobq/test_list_with_count): a finished job's line is exactly these fields.
    Set<String> recorded = Set.of("key", "state", "elapsed", "spider", "ts", "finished_time");
    assertEquals(recorded, map(h.get("jobq/" + OTHER + "/list").jsonLines().get(0)).keySet());
    assertEquals(recorded, map(h.get("spiders/" + OTHER + "/lastjobsummary").jsonLines().get(0)).keySet());
    Map<String, Object> summary = map(h.get("jobq/" + OTHER + "/summary/finished").jsonLines().get(0));
    assertEquals(recorded, map(((List<?>) summary.get("summary")).get(0)).keySet());
    // Asked for by name, a field the job does not have is left out rather than computed.
    assertEquals(Set.of("key", "state", "elapsed", "ts"),
        map(h.get("jobq/" + OTHER + "/list?jobmeta=items&jobmeta=close_reason").jsonLines().get(0)).keySet());
  }

  @Test
  void aCloseReasonSetThroughJobqIsListed(ScrapyCloudEmulator emu) {
    emu.state().project(OTHER + 1);
    TestHttp h = new TestHttp(emu, "KEY");
    String key = (String) map(h.post("jobq/" + (OTHER + 1) + "/push", "{\"spider\": \"s\"}").json()).get("key");
    h.post("jobq/" + (OTHER + 1) + "/update", "{\"key\": \"" + key + "\", \"state\": \"finished\", \"close_reason\": \"shutdown\"}");
    Map<String, Object> line = map(h.get("jobq/" + (OTHER + 1) + "/list").jsonLines().get(0));
    assertEquals("shutdown", line.get("close_reason"));
    assertEquals(false, line.containsKey("items"), line.toString());
  }

  @Test
  void jobsThePlatformRanCarryWhatItsRunnerRecorded(ScrapyCloudEmulator emu) {
    Map<String, Object> line = map(new TestHttp(emu, "KEY").get("jobq/" + DEMO + "/list").jsonLines().get(0));
    assertEquals("finished", line.get("close_reason"));
    assertEquals(3, line.get("items"));
    assertEquals(DemoData.defaults().logsPerJob(), line.get("logs"));
    assertEquals(DemoData.defaults().requestsPerJob(), line.get("pages"));
    assertEquals(true, line.get("errors") instanceof Number, line.toString());
  }
}
