package io.scrapinghubio.cli.follow;

import java.nio.file.Path;

/** What a follow did, the command's last line. */
record FollowSummary(long jobsFollowed, long jobsFinished, long items, long files, long lines, double seconds,
    Path output) {
  @Override
  public String toString() {
    return String.format("Followed %,d %s (%,d finished), %,d items in %.1f s, written as %,d lines in %,d window %s in %s",
        jobsFollowed, jobsFollowed == 1 ? "job" : "jobs", jobsFinished, items, seconds, lines, files,
        files == 1 ? "file" : "files", output);
  }
}
