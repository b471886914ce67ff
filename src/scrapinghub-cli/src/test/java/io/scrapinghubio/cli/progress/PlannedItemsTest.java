package io.scrapinghubio.cli.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.client.JobQuery;
import io.scrapinghubio.client.core.ApiKey;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.core.JobKey;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.demo.DemoData;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The background sizing: the progress total, and the bytes of a selection of a few jobs. */
class PlannedItemsTest {
  private static final String KEY = "0123456789abcdef0123456789abcdef";

  @Test
  void countsListedJobsAndSizesAFewOfThem() throws Exception {
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).demoData(DemoData.of(3, 40)).start();
        LiveCounts counts = LiveCounts.open()) {
      ClientConfig config = ClientConfig.builder().apiKey(ApiKey.of(KEY)).storageEndpoint(emu.storageUrl())
          .dashEndpoint(emu.dashUrl()).build();
      PlannedItems.Plan sized = PlannedItems.countListed(config, DemoData.DEFAULT_PROJECT, JobQuery.all(), List.of(),
          counts, 3).get(30, TimeUnit.SECONDS);
      assertEquals(3, sized.jobs());
      assertEquals(120, sized.items());
      assertTrue(sized.bytes() > 120 * 1000L, "about 1.4 KB per demo item: " + sized);
      assertEquals(120, counts.plannedItems(), "the progress total");
      assertEquals(3, counts.plannedJobs());

      PlannedItems.Plan counted = PlannedItems.countListed(config, DemoData.DEFAULT_PROJECT, JobQuery.all(), List.of(),
          counts, 2).get(30, TimeUnit.SECONDS);
      assertEquals(new PlannedItems.Plan(3, 120, -1), counted, "more jobs than sized: bytes unknown");

      List<JobKey> two = emu.state().project(DemoData.DEFAULT_PROJECT).jobs().stream().limit(2)
          .map(j -> JobKey.parse(j.key())).toList();
      PlannedItems.Plan named = PlannedItems.countJobs(config, two, counts, 3).get(30, TimeUnit.SECONDS);
      assertEquals(2, named.jobs());
      assertEquals(80, named.items());
      assertTrue(named.bytes() > 0 && named.bytes() < sized.bytes(), named + " of " + sized);
    }
  }
}
