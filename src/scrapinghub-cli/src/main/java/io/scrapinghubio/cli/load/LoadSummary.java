package io.scrapinghubio.cli.load;

import java.util.Locale;

/**
 * What a load did: the last line of the {@code load} command and of the {@code ItemsToPostgres}
 * example.
 *
 * @param jobs jobs read (those holding items)
 * @param rows rows sent to the items' table
 * @param failures records that did not fit the rows' schema, sent to the failures table
 * @param jobsTagged jobs given the consumed tag, those without items included
 * @param emptyJobs jobs selected that hold no items (tagged without being read)
 */
public record LoadSummary(long jobs, long rows, long failures, long jobsTagged, double seconds, String table,
    String failuresTable, long emptyJobs) {
  public double rowsPerSecond() {
    return seconds <= 0 ? 0 : rows / seconds;
  }

  @Override
  public String toString() {
    if (jobs == 0 && emptyJobs == 0) {
      return "Nothing to load: every selected job is already tagged consumed";
    }
    if (jobs == 0) {
      return "Nothing to load: the " + emptyJobs + " new finished job(s) hold no items; " + jobsTagged + " tagged consumed";
    }
    return String.format(Locale.ROOT, "Loaded %d jobs, %d rows into %s in %.1f s (%.0f rows/s), %d failures%s, "
        + "%d jobs tagged consumed", jobs, rows, table, seconds, rowsPerSecond(), failures,
        failures == 0 ? "" : " (in " + failuresTable + ")", jobsTagged)
        + (emptyJobs == 0 ? "" : "; " + emptyJobs + " job(s) without items tagged too");
  }
}
