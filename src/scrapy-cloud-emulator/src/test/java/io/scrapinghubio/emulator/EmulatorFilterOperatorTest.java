package io.scrapinghubio.emulator;

import static io.scrapinghubio.emulator.EmulatorRecordsTest.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import io.scrapinghubio.emulator.store.JobState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An unknown filter operator is a 400 that names it, whatever the filter would have met: records
 * (before, the stream had started and the connection was cut), or none at all (before, an empty
 * 200 hid the typo).
 */
class EmulatorFilterOperatorTest {
  private static final long P = 6200;
  private static final String TYPO = enc("[\"price\", \"gt\", [10]]");

  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey("KEY");

  private static void assertRefused(TestHttp.Reply r) {
    assertEquals(400, r.code(), r.text());
    assertEquals("text/plain; charset=UTF-8", r.contentType());
    assertTrue(r.text().startsWith("Invalid filter: unknown operator 'gt' in [\"price\", \"gt\", [10]]"), r.text());
  }

  @Test
  void onItemsWithAndWithoutRecords(ScrapyCloudEmulator emu) {
    emu.state().project(P);
    String full = emu.state().addJob(P, "s", JobState.FINISHED, Map.of()).key();
    emu.state().appendItems(full, List.of(Map.of("price", 5), Map.of("price", 50)));
    String empty = emu.state().addJob(P, "s", JobState.FINISHED, Map.of()).key();
    TestHttp h = new TestHttp(emu, "KEY");
    assertRefused(h.get("items/" + full + "?filter=" + TYPO));
    assertRefused(h.get("items/" + full + "?filter=" + TYPO, "Accept", "application/x-msgpack"));
    assertRefused(h.get("items/" + empty + "?filter=" + TYPO));
    assertRefused(h.get("items/" + P + "?filter=" + TYPO));
    assertEquals(1, h.get("items/" + full + "?filter=" + enc("[\"price\", \">\", [10]]")).jsonLines().size());
  }

  @Test
  void onCollectionsAndActivity(ScrapyCloudEmulator emu) {
    emu.state().project(P + 1);
    TestHttp h = new TestHttp(emu, "KEY");
    assertRefused(h.get("collections/" + (P + 1) + "/s/never_written?filter=" + TYPO));
    assertRefused(h.get("collections/" + (P + 1) + "/s/never_written/count?filter=" + TYPO));
    assertRefused(h.get("activity/" + (P + 1) + "?filter=" + TYPO));
  }
}
