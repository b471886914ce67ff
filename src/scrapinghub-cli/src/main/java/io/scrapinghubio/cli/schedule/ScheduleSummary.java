package io.scrapinghubio.cli.schedule;

import io.scrapinghubio.cli.console.Counted;
import java.nio.file.Path;

/**
 * What a scheduled crawl did, from the pipeline's metrics: the command's last line.
 *
 * @param committed whether the items' directory became the output (not when every job failed)
 */
public record ScheduleSummary(long scheduled, long finished, long items, long bytes, long tagged, long failures,
    double seconds, Path output, boolean committed) {
  @Override
  public String toString() {
    String where = committed ? String.format("(%.1f MB) written in %.1f s to %s", bytes / 1e6, seconds, output)
        : String.format("in %.1f s; %s was not written", seconds, output);
    return String.format("Scheduled %s, %,d finished, %s %s%s; %,d failed", Counted.of(scheduled, "job"),
        finished, Counted.of(items, "item"), where, tagged > 0 ? "; " + tagged + " tagged as consumed" : "",
        failures);
  }
}
