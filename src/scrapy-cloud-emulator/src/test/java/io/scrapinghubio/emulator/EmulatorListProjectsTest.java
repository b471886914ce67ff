package io.scrapinghubio.emulator;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A project id a client merely asked about is not listed as one of the key's projects. */
class EmulatorListProjectsTest {
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey("KEY");

  @Test
  void onlyProjectsWithSpidersOrJobsAreListed(ScrapyCloudEmulator emu) {
    TestHttp storage = new TestHttp(emu, "KEY");
    storage.get("jobq/4242/list"); // a typo'd project id, merely asked about
    emu.state().addSpider(4243, "products");
    emu.state().addJob(4244, "books", "finished", Map.of());

    List<?> listed = (List<?>) ((Map<?, ?>) new TestHttp(emu.dashUrl(), "KEY").get("scrapyd/listprojects.json").json()).get("projects");
    assertFalse(listed.contains(4242), String.valueOf(listed));
    assertTrue(listed.contains(4243) && listed.contains(4244), String.valueOf(listed));
  }
}
