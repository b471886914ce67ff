package io.scrapinghubio.emulator;

import static io.scrapinghubio.emulator.TestHttp.map;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import io.scrapinghubio.emulator.store.JobState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Once a job is deleted (JobQ state {@code deleted}) its data is no longer served: its items,
 * logs, requests and samples read as those of a job that never had any, at every level; its
 * metadata stays (recorded: {@code jobs/P/S/J} answers with {@code state: deleted}).
 */
class EmulatorDeletedJobTest {
  private static final long P = 9201;

  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey("KEY").projects(P);

  @Test
  void aDeletedJobsDataIsNoLongerServed(ScrapyCloudEmulator emu) {
    String kept = emu.state().addJob(P, "s", JobState.FINISHED, Map.of()).key();
    String gone = emu.state().addJob(P, "s", JobState.FINISHED, Map.of()).key();
    emu.state().appendItems(kept, List.of(Map.of("n", "kept")));
    emu.state().appendItems(gone, List.of(Map.of("n", "gone0"), Map.of("n", "gone1")));
    emu.state().append(gone, io.scrapinghubio.emulator.store.RecordType.LOGS, List.of(Map.of("message", "m", "level", 20)));
    TestHttp h = new TestHttp(emu, "KEY");
    assertEquals(2, h.get("items/" + gone).jsonLines().size());
    h.post("jobq/" + P + "/update", "{\"key\": \"" + gone + "\", \"state\": \"deleted\"}");

    assertEquals("", h.get("items/" + gone).text());
    assertEquals("", h.get("items/" + gone + "/0").text());
    assertEquals("", h.get("logs/" + gone).text());
    assertEquals(Map.of("counts", Map.of(), "totals", Map.of("input_bytes", 0, "input_values", 0)),
        h.get("items/" + gone + "/stats").json());
    assertEquals(List.of(Map.of("n", "kept")), h.get("items/" + P).jsonLines(), "project-level reads skip it too");
    assertEquals("deleted", map(h.get("jobs/" + gone).jsonLines().get(0)).get("state"), "its metadata stays");
  }
}
