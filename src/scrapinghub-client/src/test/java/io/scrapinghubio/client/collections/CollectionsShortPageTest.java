package io.scrapinghubio.client.collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.testing.EmulatorClients;
import io.scrapinghubio.emulator.log.LoggedRequest;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real service may answer a scan page with fewer records than asked (python-hubstorage #34);
 * the scanner must then carry on from the last key rather than stop. The emulator is told to cap
 * its scan pages to show it.
 */
class CollectionsShortPageTest {
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey(EmulatorClients.KEY)
      .projects(2222222);

  @Test
  void scanSurvivesShortPagesAndReturnsEveryRecordOnceInOrder() {
    ScrapyCloudEmulator emu = EMU.emulator();
    long project = 2222222;
    try (ScrapinghubClient client = EmulatorClients.client(emu)) {
      Collection c = client.getProject(project).collections().getStore("scan");
      List<Object> all = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        all.add(Map.of("_key", String.format("k%04d", i), "counter", i));
      }
      c.set(all);
      emu.state().project(project).collections().scanPageCap(7); // fewer than asked
      emu.requestLog().clear();
      List<String> keys = new ArrayList<>();
      CollectionScanner s = c.scanner(ScanOptions.all().pageSize(50));
      s.forEachRemaining(r -> keys.add(r.key()));
      assertEquals(500, keys.size());
      for (int i = 0; i < 500; i++) {
        assertEquals(String.format("k%04d", i), keys.get(i));
      }
      assertEquals(500 / 7 + 2, s.requests(), "pages of 7 then one empty page");
      List<LoggedRequest> log = EmulatorClients.requests(emu);
      assertEquals("k0006", log.get(1).param("startafter"), EmulatorClients.line(log.get(1)));
      assertTrue(log.stream().allMatch(r -> "50".equals(r.param("count"))), "every page still asks for 50");
    }
  }
}
