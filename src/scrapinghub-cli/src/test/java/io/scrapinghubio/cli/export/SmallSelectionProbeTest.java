package io.scrapinghubio.cli.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.client.JobQuery;
import io.scrapinghubio.client.core.ApiKey;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.core.JobKey;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.demo.DemoData;
import io.scrapinghubio.emulator.log.LoggedRequest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The small-export probe: the size of a selection of a few jobs, and a cost that does not grow
 * with the selection (counted at the emulator).
 */
class SmallSelectionProbeTest {
  private static final String KEY = "0123456789abcdef0123456789abcdef";
  private static final int MAX_JOBS = SmallExport.MAX_JOBS;

  @Test
  void sizesASelectionOfAFewJobsFromTheirStats() throws Exception {
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).demoData(DemoData.of(3, 40)).start()) {
      ClientConfig config = config(emu);
      SmallSelectionProbe.Size sized = SmallSelectionProbe.ofListed(config, DemoData.DEFAULT_PROJECT, JobQuery.all(),
          List.of(), MAX_JOBS).get(30, TimeUnit.SECONDS);
      assertEquals(3, sized.jobs());
      assertEquals(120, sized.items());
      assertTrue(sized.bytes() > 120 * 1000L, "about 1.4 KB per demo item: " + sized);
      assertEquals(1 + 3, emu.requestLog().size(), "one listing and three stats: " + paths(emu));

      List<JobKey> two = emu.state().project(DemoData.DEFAULT_PROJECT).jobs().stream().limit(2)
          .map(j -> JobKey.parse(j.key())).toList();
      SmallSelectionProbe.Size named = SmallSelectionProbe.ofJobs(config, two, MAX_JOBS).get(30, TimeUnit.SECONDS);
      assertEquals(2, named.jobs());
      assertEquals(80, named.items());
      assertTrue(named.bytes() > 0 && named.bytes() < sized.bytes(), named + " of " + sized);
    }
  }

  /**
   * A project of 2,500 jobs (three pages of the job list, which the old sizing fetched whole
   * beside the pipeline): one listing request of {@code MAX_JOBS + 1} jobs and nothing more, with or
   * without spiders; named jobs beyond the limit cost no request at all.
   */
  @Test
  void costsAtMostOneListingRequestPerSpiderWhateverTheSelectionHolds() throws Exception {
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).demoData(DemoData.of(2500, 1)).start()) {
      ClientConfig config = config(emu);
      emu.requestLog().clear();
      SmallSelectionProbe.Size all = SmallSelectionProbe.ofListed(config, DemoData.DEFAULT_PROJECT, JobQuery.all(),
          List.of(), MAX_JOBS).get(30, TimeUnit.SECONDS);
      assertEquals(new SmallSelectionProbe.Size(MAX_JOBS + 1, -1, -1), all, "more than a small selection holds");
      List<LoggedRequest> requests = emu.requestLog().all();
      assertEquals(1, requests.size(), "one listing request: " + paths(emu));
      assertEquals(String.valueOf(MAX_JOBS + 1), requests.get(0).param("count"), "asking for one job too many");

      emu.requestLog().clear();
      SmallSelectionProbe.Size spiders = SmallSelectionProbe.ofListed(config, DemoData.DEFAULT_PROJECT, JobQuery.all(),
          DemoData.DEFAULT_SPIDERS, MAX_JOBS).get(30, TimeUnit.SECONDS);
      assertTrue(spiders.jobs() > MAX_JOBS, spiders.toString());
      assertEquals(1, emu.requestLog().size(), "the first spider has enough jobs to stop: " + paths(emu));

      List<JobKey> many = emu.state().project(DemoData.DEFAULT_PROJECT).jobs().stream().limit(MAX_JOBS + 1)
          .map(j -> JobKey.parse(j.key())).toList();
      emu.requestLog().clear();
      assertEquals(new SmallSelectionProbe.Size(MAX_JOBS + 1, -1, -1),
          SmallSelectionProbe.ofJobs(config, many, MAX_JOBS).get(30, TimeUnit.SECONDS));
      assertEquals(0, emu.requestLog().size(), paths(emu).toString());
    }
  }

  private static ClientConfig config(ScrapyCloudEmulator emu) {
    return ClientConfig.builder().apiKey(ApiKey.of(KEY)).storageEndpoint(emu.storageUrl())
        .dashEndpoint(emu.dashUrl()).build();
  }

  private static List<String> paths(ScrapyCloudEmulator emu) {
    return emu.requestLog().all().stream().map(r -> r.method() + " " + r.path() + " " + r.query()).toList();
  }
}
