package io.scrapinghubio.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A job that does not exist (in a project that does) has no metadata, items or logs: its metadata
 * dict reads as an empty body (what shub relies on to say "Job ... does not exist", and what a
 * client turns into NotFound), its data as empty, and a metadata write is refused instead of being
 * dropped.
 */
class EmulatorMissingJobTest {
  private static final long P = 9301;
  private static final String MISSING = P + "/1/77";

  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey("KEY").projects(P);

  @Test
  void readsAnswerNothing(ScrapyCloudEmulator emu) {
    TestHttp h = new TestHttp(emu, "KEY");
    TestHttp.Reply meta = h.get("jobs/" + MISSING);
    assertEquals(200, meta.code());
    assertEquals("", meta.text());
    assertEquals("null", h.get("jobs/" + MISSING + "/state").text());
    assertEquals("", h.get("items/" + MISSING).text());
    assertEquals("", h.get("logs/" + MISSING).text());
  }

  @Test
  void metadataWritesAreRefused(ScrapyCloudEmulator emu) {
    TestHttp h = new TestHttp(emu, "KEY");
    assertEquals(404, h.post("jobs/" + MISSING + "/note", "\"x\"").code());
    assertEquals(404, h.post("jobs/" + MISSING, "{\"note\": \"x\"}").code());
    assertEquals("", h.get("jobs/" + MISSING).text(), "nothing was stored");
  }
}
