package io.scrapinghubio.cli.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The plain progress line: what it says before and after the total is known. */
class ProgressLinesTest {
  @Test
  void withAndWithoutTotal() {
    assertEquals("Progress: 12,000 of 40,000 items (30%), 16.8 MB, 4,100 items/s, ETA 7s",
        ProgressLines.line("", 12_000, 40_000, 16_800_000, 4100, 6.2));
    assertEquals("Progress: 12,000 items, 16.8 MB, 4,100 items/s", ProgressLines.line("", 12_000, -1, 16_800_000, 4100, -1));
    assertEquals("Progress: 40,000 of 40,000 items (100%), 56.0 MB, 0 items/s",
        ProgressLines.line("", 40_000, 40_000, 56_000_000, 0, 0));
  }

  @Test
  void crawlLinesStartWithTheirJobs() {
    assertEquals("Progress: 1 of 3 jobs finished, 25 items, 0.0 MB, 5 items/s",
        ProgressLines.line("1 of 3 jobs finished, ", 25, -1, 2_500, 5, -1));
  }

  @Test
  void followLinesCountTheJobsReadAndSayTheLagOnceAnItemWasRead() {
    try (LiveCounts counts = LiveCounts.open()) {
      counts.following();
      assertEquals("0 jobs, ", counts.jobsProgress());
      assertEquals("", counts.lag(), "no lag before the first item");
      long scraped = System.currentTimeMillis() - 60_000;
      counts.followed("1/2/3", scraped, 100);
      counts.followed("1/2/3", scraped - 5_000, 100);
      assertEquals("1 job, ", counts.jobsProgress());
      counts.followed("1/2/4", scraped, 100);
      assertEquals("2 jobs, ", counts.jobsProgress());
      assertEquals(3, counts.items());
      // now minus the newest item's store time: at least the minute it is old, not the older item's 65 s
      double lag = Double.parseDouble(counts.lag().replaceAll("^, lag ([0-9.]+) s$", "$1"));
      org.junit.jupiter.api.Assertions.assertTrue(lag >= 60 && lag < 65, counts.lag());
    }
  }

  @Test
  void eta() {
    assertEquals("59s", ProgressLines.eta(58.2));
    assertEquals("3m05s", ProgressLines.eta(185));
    assertEquals("1h02m", ProgressLines.eta(3725));
  }

  @Test
  void beforeTheFirstItemItSaysWhatItWaitsFor() {
    assertEquals("Progress: 0 of 40,000 items in 20 jobs: starting embedded Flink and reading the first pages",
        ProgressLines.waitingLine(20, 40_000, "starting embedded Flink and reading the first pages"));
    assertEquals("Progress: 0 items: listing and sizing the jobs, starting embedded Flink",
        ProgressLines.waitingLine(-1, -1, "listing and sizing the jobs, starting embedded Flink"));
    LiveCounts counts = LiveCounts.open();
    counts.runsOn("embedded Flink");
    assertEquals("listing and sizing the jobs, starting embedded Flink", counts.waitingFor());
    counts.planned(20, 40_000);
    assertEquals("starting embedded Flink and reading the first pages", counts.waitingFor());
    counts.written(1, 100);
    assertEquals("", counts.waitingFor(), "once items flow, the counts say the rest");
    counts.close();
  }
}
