package io.scrapinghubio.emulator;

import static io.scrapinghubio.emulator.TestHttp.maps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EmulatorProjectResourcesTest {
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey("KEY").projects(8001, 8002);

  @Test
  void activityIsNewestFirst(ScrapyCloudEmulator emu) {
    TestHttp h = new TestHttp(emu, "KEY");
    TestHttp.Reply w = h.post("activity/8001",
        "{\"job\": \"8001/2/3\", \"event\": \"job:completed\", \"user\": \"jobrunner\"}\n"
            + "{\"job\": \"8001/2/3\", \"event\": \"job:cancelled\", \"user\": \"john\"}");
    assertEquals("text/plain; charset=UTF-8", w.contentType());
    TestHttp.Reply r = h.get("activity/8001?count=1");
    assertEquals("application/x-jsonlines; charset=UTF-8", r.contentType());
    assertEquals("{\"job\":\"8001/2/3\",\"event\":\"job:cancelled\",\"user\":\"john\"}\n", r.text());
    List<Map<String, Object>> ts = maps(h.get("activity/8001?meta=_ts").jsonLines());
    assertEquals(2, ts.size());
    assertTrue(ts.get(0).get("_ts") instanceof Number);
    h.post("activity/8001", "{\"c\": 1}\n{\"c\": 9}");
    assertEquals(List.of(Map.of("c", 9)), h.get("activity/8001?filter="
        + EmulatorRecordsTest.enc("[\"c\", \">\", [5]]")).jsonLines());
  }

  @Test
  void settings(ScrapyCloudEmulator emu) {
    TestHttp h = new TestHttp(emu, "KEY");
    assertEquals("{}", h.get("projects/8002/settings").text());
    TestHttp.Reply w = h.post("projects/8002/settings", "{\"job_runtime_limit\": 20}");
    assertEquals("text/plain; charset=utf-8", w.contentType());
    assertEquals("20", h.get("projects/8002/settings/job_runtime_limit").text());
    assertEquals("{\"job_runtime_limit\": 20}", h.get("projects/8002/settings").text());
    h.delete("projects/8002/settings/job_runtime_limit");
    assertEquals("null", h.get("projects/8002/settings/job_runtime_limit").text());
  }
}
