package io.scrapinghubio.beam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.beam.connection.ScrapinghubConnection;
import java.time.Duration;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.junit.jupiter.api.Test;

/** crawlAndRead() is an immutable value whose settings reach every step it composes. */
class CrawlAndReadSpecTest {
  private static final ScrapinghubConnection CONN = ScrapinghubIO.connection().withStorageEndpoint("http://127.0.0.1:5/");

  @Test
  void anImmutableValueWhoseConnectionReachesEveryStep() {
    CrawlAndRead base = ScrapinghubIO.crawlAndRead().withProject(3);
    CrawlAndRead slow = base.withPollInterval(Duration.ofMinutes(5)).withConsumedTag("done");
    assertTrue(DisplayData.from(base).toString().contains("PT30S"), "polls every 30 s by default");
    assertEquals("consumed", base.consumedTag());
    assertEquals("done", slow.consumedTag());
    String shown = DisplayData.from(slow).toString();
    assertTrue(shown.contains("PT5M"), "the await step polls every 5 minutes: " + shown);
    assertTrue(shown.contains("3"), "the schedule step's project: " + shown);

    CrawlAndRead connected = slow.withConnection(CONN);
    assertEquals(CONN, connected.schedule().connection());
    String all = DisplayData.from(connected).toString();
    assertTrue(all.contains("http://127.0.0.1:5/"), "the steps use the connection: " + all);
    assertEquals(ScrapinghubConnection.create(), slow.schedule().connection(), "the original is unchanged");
    assertFalse(DisplayData.from(slow).toString().contains("http://127.0.0.1:5/"), "the original is unchanged");
  }
}
