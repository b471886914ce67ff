package io.scrapinghubio.beam.jobs;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.transforms.splittabledofn.SplitResult;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Claims job keys of an {@link AwaitRestriction} as they are emitted. A checkpoint
 * ({@code trySplit(0)}) keeps the emitted keys in the primary and hands the rest to the residual,
 * which the runner resumes after the poll delay; other fractions split the keys still waited for.
 */
final class AwaitTracker extends RestrictionTracker<AwaitRestriction, String> implements RestrictionTracker.HasProgress {
  private AwaitRestriction restriction;
  private final Set<String> claimed = new LinkedHashSet<>();

  AwaitTracker(AwaitRestriction restriction) {
    this.restriction = restriction;
  }

  @Override
  public boolean tryClaim(String key) {
    if (!restriction.keys().contains(key) || claimed.contains(key)) {
      return false;
    }
    claimed.add(key);
    return true;
  }

  @Override
  public AwaitRestriction currentRestriction() {
    return restriction;
  }

  private List<String> remaining() {
    List<String> r = new ArrayList<>();
    for (String k : restriction.keys()) {
      if (!claimed.contains(k)) {
        r.add(k);
      }
    }
    return r;
  }

  @Override
  public @Nullable SplitResult<AwaitRestriction> trySplit(double fractionOfRemainder) {
    List<String> rest = remaining();
    if (rest.isEmpty()) {
      return null;
    }
    int keep = fractionOfRemainder <= 0 ? 0 : (int) Math.floor(rest.size() * fractionOfRemainder);
    if (fractionOfRemainder > 0 && (keep < 1 || keep >= rest.size())) {
      return null;
    }
    List<String> primaryKeys = new ArrayList<>(claimed);
    primaryKeys.addAll(rest.subList(0, keep));
    AwaitRestriction primary = new AwaitRestriction(primaryKeys, restriction.startedAtMillis());
    AwaitRestriction residual = new AwaitRestriction(rest.subList(keep, rest.size()), restriction.startedAtMillis());
    restriction = primary;
    return SplitResult.of(primary, residual);
  }

  @Override
  public void checkDone() {
    List<String> rest = remaining();
    if (!rest.isEmpty()) {
      throw new IllegalStateException("awaitJobs stopped with " + rest.size() + " job(s) neither emitted nor checkpointed: " + rest);
    }
  }

  @Override
  public IsBounded isBounded() {
    return IsBounded.BOUNDED;
  }

  @Override
  public Progress getProgress() {
    return Progress.from(claimed.size(), remaining().size());
  }
}
