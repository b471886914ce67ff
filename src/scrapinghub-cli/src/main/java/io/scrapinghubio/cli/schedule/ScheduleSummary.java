package io.scrapinghubio.cli.schedule;

import java.nio.file.Path;

/** What a scheduled crawl did, from the pipeline's metrics: the command's last line. */
public record ScheduleSummary(long scheduled, long finished, long items, long bytes, long tagged, long failures,
    double seconds, Path output) {
  @Override
  public String toString() {
    return String.format("Scheduled %d jobs, %d finished, %d items (%.1f MB) written in %.1f s to %s%s; %d failed",
        scheduled, finished, items, bytes / 1e6, seconds, output,
        tagged > 0 ? "; " + tagged + " tagged as consumed" : "", failures);
  }
}
