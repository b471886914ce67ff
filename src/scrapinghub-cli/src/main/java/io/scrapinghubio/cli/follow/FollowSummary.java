package io.scrapinghubio.cli.follow;

import java.nio.file.Path;

/** What a follow did, the command's last line. */
record FollowSummary(long jobsFollowed, long jobsFinished, long items, long files, long lines, double seconds,
    Path output) {
  @Override
  public String toString() {
    return String.format("Followed %,d jobs (%,d finished), %,d items in %.1f s, written as %,d lines in %,d window "
        + "files in %s", jobsFollowed, jobsFinished, items, seconds, lines, files, output);
  }
}
