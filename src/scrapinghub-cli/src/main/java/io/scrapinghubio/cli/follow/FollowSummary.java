package io.scrapinghubio.cli.follow;

import io.scrapinghubio.cli.console.Counted;
import io.scrapinghubio.cli.run.StopSignals;
import java.nio.file.Path;

/**
 * What a follow did, the command's last line.
 *
 * @param stoppedBy what stopped it before its termination ("Ctrl-C", "SIGTERM", the demo), or null
 * @param notWritten items read but not written: a stop whose writes did not finish in time
 * @param noun what one record is: "item", or "log line", "request" with --data-type
 */
record FollowSummary(long jobsFollowed, long jobsFinished, long items, long files, long lines, double seconds,
    Path output, String stoppedBy, long notWritten, String noun) {
  @Override
  public String toString() {
    String s = String.format("Followed %s (%,d finished), %s in %.1f s, written as %s in %s in %s",
        Counted.of(jobsFollowed, "job"), jobsFinished, Counted.of(items, noun), seconds, Counted.of(lines, "line"),
        Counted.of(files, "window file"), output);
    if (stoppedBy != null && StopSignals.exitCode(stoppedBy) != 0) {
      s += "; stopped by " + stoppedBy;
    }
    if (notWritten > 0) {
      s += "; " + Counted.of(notWritten, noun) + " read could not be written in time";
    }
    return s;
  }

  FollowSummary withJobsFinished(long n) {
    return new FollowSummary(jobsFollowed, n, items, files, lines, seconds, output, stoppedBy, notWritten, noun);
  }
}
