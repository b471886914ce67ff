package io.scrapinghubio.cli.export;

import io.scrapinghubio.cli.console.Counted;
import java.util.Locale;

/**
 * What an export did, the command's last line. Items and bytes are what reached the output
 * (newlines included), so that the summary, the progress display and the files' size agree.
 *
 * @param destination where the lines went, e.g. a directory's path or "standard output"
 * @param noun what one record is, "item" or "log line"...
 * @param jobsRead the keys of the jobs read, when the export recorded them (for {@code --consumed-tag}), else empty
 */
public record ExportSummary(long jobs, long items, long bytes, double seconds, String destination,
    java.util.List<String> jobsRead, String noun) {
  public double itemsPerSecond() {
    return seconds <= 0 ? 0 : items / seconds;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "Exported %s, %s, %.1f MB in %.1f s (%,.0f %ss/s, %.1f MB/s) to %s",
        Counted.of(jobs, "job"), Counted.of(items, noun), bytes / 1e6, seconds, itemsPerSecond(), noun,
        seconds <= 0 ? 0 : bytes / 1e6 / seconds, destination);
  }
}
