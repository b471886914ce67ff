package io.scrapinghubio.beam.follow;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Watch;
import org.joda.time.Instant;

/**
 * Stops a {@code Watch} after {@code n} consecutive polls that found nothing new. Beam offers
 * "after N polls" and "after a time without new output", but not this count, which is what
 * {@code withTerminationAfterIdlePolls(n)} promises whatever the poll interval or listing latency.
 *
 * <p>The state is the number of idle polls in a row: a poll with a new output resets it to -1
 * before {@code onPollComplete} counts that poll, so it ends at 0.
 */
final class AfterIdlePolls<InputT> implements Watch.Growth.TerminationCondition<InputT, Integer> {
  private static final long serialVersionUID = 1L;
  private final int polls;

  AfterIdlePolls(int polls) {
    this.polls = polls;
  }

  @Override
  public Coder<Integer> getStateCoder() {
    return VarIntCoder.of();
  }

  @Override
  public Integer forNewInput(Instant now, InputT input) {
    return 0;
  }

  @Override
  public Integer onSeenNewOutput(Instant now, Integer state) {
    return -1;
  }

  @Override
  public Integer onPollComplete(Integer state) {
    return state + 1;
  }

  @Override
  public boolean canStopPolling(Instant now, Integer state) {
    return state >= polls;
  }

  @Override
  public String toString(Integer state) {
    return "AfterIdlePolls{" + state + " of " + polls + " polls without a new job}";
  }
}
