package io.scrapinghubio.client.collections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.testing.FakeStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one collection behaviour the emulator cannot show (it always fills a page up to
 * {@code count}): the real service may answer a scan page with fewer records than asked
 * (python-hubstorage #34), and the scanner must then carry on from the last key rather than stop.
 * Everything else about collections is tested against the emulator in {@link CollectionsEmulatorTest}.
 */
class CollectionsShortPageTest {
  FakeStorage fs;
  ScrapinghubClient client;

  @BeforeEach
  void setUp() throws Exception {
    fs = new FakeStorage();
    client = fs.client();
  }

  @AfterEach
  void tearDown() {
    client.close();
    fs.close();
  }

  @Test
  void scanSurvivesShortPagesAndReturnsEveryRecordOnceInOrder() {
    Collection c = client.getProject(2222222).collections().getStore("scan");
    List<Object> all = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      all.add(Map.of("_key", String.format("k%04d", i), "counter", i));
    }
    c.set(all);
    fs.scanPageCap = 7; // the service answers fewer than asked
    fs.clearLog();
    List<String> keys = new ArrayList<>();
    CollectionScanner s = c.scanner(ScanOptions.all().pageSize(50));
    s.forEachRemaining(r -> keys.add(r.key()));
    assertEquals(500, keys.size());
    for (int i = 0; i < 500; i++) {
      assertEquals(String.format("k%04d", i), keys.get(i));
    }
    assertEquals(500 / 7 + 2, s.requests(), "pages of 7 then one empty page");
    assertTrue(fs.requests().get(1).contains("startafter=k0006"), fs.requests().get(1));
  }
}
