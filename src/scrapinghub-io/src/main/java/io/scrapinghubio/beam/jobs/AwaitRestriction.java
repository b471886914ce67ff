package io.scrapinghubio.beam.jobs;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * The work left for one batch of {@code awaitJobs()}: the keys not emitted yet, and when the wait
 * began (the timeout counts from there, across checkpoints).
 */
final class AwaitRestriction implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<String> keys;
  private final long startedAtMillis;

  AwaitRestriction(List<String> keys, long startedAtMillis) {
    this.keys = List.copyOf(keys);
    this.startedAtMillis = startedAtMillis;
  }

  List<String> keys() {
    return keys;
  }

  long startedAtMillis() {
    return startedAtMillis;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AwaitRestriction && ((AwaitRestriction) o).keys.equals(keys)
        && ((AwaitRestriction) o).startedAtMillis == startedAtMillis;
  }

  @Override
  public int hashCode() {
    return Objects.hash(keys, startedAtMillis);
  }

  @Override
  public String toString() {
    return "AwaitRestriction{" + keys.size() + " jobs since " + startedAtMillis + "}";
  }
}
