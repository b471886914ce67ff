package io.scrapinghubio.cli.export;

import java.nio.file.Path;

/** What an export did, from the pipeline's metrics: the command's last line. */
public record ExportSummary(long jobs, long items, long bytes, double seconds, Path output) {
  public double itemsPerSecond() {
    return seconds <= 0 ? 0 : items / seconds;
  }

  @Override
  public String toString() {
    return String.format("Exported %d jobs, %d items, %.1f MB in %.1f s (%.0f items/s, %.1f MB/s) to %s",
        jobs, items, bytes / 1e6, seconds, itemsPerSecond(), seconds <= 0 ? 0 : bytes / 1e6 / seconds, output);
  }
}
