package io.scrapinghubio.beam.follow;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * How a continuous read ({@code read().continuously(pollInterval)}) follows a project: how often it
 * lists the selection, whether it reads running jobs as they grow, when it stops polling, and which
 * tag marks a job whose records were all delivered. Every {@code withX()} checks its value.
 *
 * <p>Plumbing for {@code ScrapinghubRead}, which holds one, not API.
 */
@Internal
@AutoValue
public abstract class FollowSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  abstract Duration pollInterval();

  abstract boolean runningJobs();

  /** Stop polling this long after the read started; null = never. */
  abstract @Nullable Duration terminateAfter();

  /** Stop polling after this many consecutive polls found no new job; 0 = never. */
  abstract int idlePolls();

  /** Tag added to a job once all its records were emitted; null = none. */
  abstract @Nullable String consumedTag();

  abstract Builder toBuilder();

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setPollInterval(Duration d);

    abstract Builder setRunningJobs(boolean b);

    abstract Builder setTerminateAfter(@Nullable Duration d);

    abstract Builder setIdlePolls(int n);

    abstract Builder setConsumedTag(@Nullable String t);

    abstract FollowSpec build();
  }

  /**
   * Polls every {@code pollInterval}, for finished jobs only, until the read is stopped.
   *
   * @param pollInterval time between two listings of the selection, positive
   * @return the spec
   */
  public static FollowSpec every(Duration pollInterval) {
    if (pollInterval == null || pollInterval.getMillis() <= 0) {
      throw new IllegalArgumentException("continuously() needs a positive poll interval, e.g. Duration.standardSeconds(10), but was "
          + pollInterval);
    }
    return new AutoValue_FollowSpec.Builder().setPollInterval(pollInterval).setRunningJobs(false).setIdlePolls(0).build();
  }

  /**
   * This spec polling every {@code pollInterval} instead.
   *
   * @param pollInterval time between two listings of the selection, positive
   * @return a new spec with this setting
   */
  public FollowSpec withPollInterval(Duration pollInterval) {
    return toBuilder().setPollInterval(every(pollInterval).pollInterval()).build();
  }

  /**
   * Also reads running jobs, as they grow.
   *
   * @return a new spec with this setting
   */
  public FollowSpec withRunningJobs() {
    return toBuilder().setRunningJobs(true).build();
  }

  /**
   * Stops polling this long after the read started.
   *
   * @param d a positive duration
   * @return a new spec with this setting
   */
  public FollowSpec withTerminationAfter(Duration d) {
    if (d == null || d.getMillis() <= 0) {
      throw new IllegalArgumentException("withTerminationAfter() needs a positive duration, but was " + d);
    }
    return toBuilder().setTerminateAfter(d).build();
  }

  /**
   * Stops polling after {@code n} consecutive polls found no new job.
   *
   * @param n polls, positive
   * @return a new spec with this setting
   */
  public FollowSpec withTerminationAfterIdlePolls(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("withTerminationAfterIdlePolls() needs at least 1 poll, but was " + n);
    }
    return toBuilder().setIdlePolls(n).build();
  }

  /**
   * Tags each job once all its records were emitted.
   *
   * @param tag a non-empty tag
   * @return a new spec with this setting
   */
  public FollowSpec markConsumed(String tag) {
    if (tag == null || tag.isBlank()) {
      throw new IllegalArgumentException("markConsumed() needs a non-empty tag such as \"consumed\", but was '" + tag + "'");
    }
    return toBuilder().setConsumedTag(tag).build();
  }

  /**
   * Adds these settings to the read's display data.
   *
   * @param b the read's display data
   */
  public void populateDisplayData(DisplayData.Builder b) {
    b.add(DisplayData.item("pollInterval", pollInterval()).withLabel("Poll interval"));
    b.add(DisplayData.item("runningJobs", runningJobs()).withLabel("Follow running jobs"));
    if (terminateAfter() != null) {
      b.add(DisplayData.item("terminateAfter", terminateAfter()).withLabel("Stop polling after"));
    }
    if (idlePolls() > 0) {
      b.add(DisplayData.item("idlePolls", idlePolls()).withLabel("Stop polling after idle polls"));
    }
    if (consumedTag() != null) {
      b.add(DisplayData.item("consumedTag", consumedTag()).withLabel("Tag of consumed jobs"));
    }
  }
}
