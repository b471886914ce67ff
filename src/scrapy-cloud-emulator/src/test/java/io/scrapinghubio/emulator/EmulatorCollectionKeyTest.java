package io.scrapinghubio.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A collection record's {@code _key} must be a string: python-scrapinghub's test_errors (written
 * against the real service) expects BadRequest for {@code {"_key": []}}, and nothing of a refused
 * request is stored.
 */
class EmulatorCollectionKeyTest {
  private static final long P = 6100;
  private static final String C = "collections/" + P + "/s/keys";

  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey("KEY");

  @Test
  void aKeyThatIsNotAStringIsRefusedWith400(ScrapyCloudEmulator emu) {
    emu.state().project(P);
    TestHttp h = new TestHttp(emu, "KEY");
    for (String bad : new String[] {"[]", "5", "{\"a\": 1}", "true"}) {
      TestHttp.Reply r = h.post(C, "{\"_key\": \"fine\"}\n{\"_key\": " + bad + ", \"v\": 1}");
      assertEquals(400, r.code(), bad);
      assertEquals("text/plain; charset=UTF-8", r.contentType());
      assertEquals("Error parsing data, invalid value for _key field: " + bad.replace(" ", "") + " (a string is required)\n",
          r.text());
    }
    assertEquals(404, h.get(C + "/fine").code(), "a refused request stores none of its records");
  }
}
