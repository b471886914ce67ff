package io.scrapinghubio.client;

import io.scrapinghubio.client.core.JobKey;
import io.scrapinghubio.client.errors.JobNotCancellableException;
import java.util.Objects;

/**
 * What {@link Job#cancel()} did. The job queue answers a cancel with a count of the jobs it
 * cancelled; {@code {"count": 0}} says nothing about why, so on that answer the client reads the
 * job's state and close reason and tells apart a job that had already been cancelled (an earlier
 * call, maybe one whose answer was lost, or someone else) from a job that had ended otherwise and
 * was therefore <em>not</em> cancelled.
 */
public final class JobCancellation {

  /** The outcome of one cancel. */
  public enum Outcome {
    /**
     * The service cancelled the job now ({@code count} 1): a pending job is finished at once, a
     * running one stops asynchronously with close reason {@code cancelled}.
     */
    CANCELLED,
    /**
     * Nothing left to do: the job had already ended with close reason {@code cancelled} (or, with
     * no close reason, carries {@code cancelled_by}). Cancelling twice leaves the same state.
     */
    ALREADY_CANCELLED,
    /**
     * The job was not cancelled: it had already ended otherwise (finished with another close
     * reason, or deleted). {@link #state()} and {@link #closeReason()} say how.
     */
    NOT_CANCELLABLE
  }

  /** See {@link #key()}. */
  private final JobKey key;
  /** See {@link #outcome()}. */
  private final Outcome outcome;
  /** See {@link #state()}. */
  private final String state;
  /** See {@link #closeReason()}. */
  private final String closeReason;

  /**
   * A cancel's outcome.
   *
   * @param key the job
   * @param outcome what happened
   * @param state the job's state as read after a {@code count} of 0, or null when it was not read
   * @param closeReason the job's close reason as read then, or null
   */
  public JobCancellation(JobKey key, Outcome outcome, String state, String closeReason) {
    this.key = Objects.requireNonNull(key, "key");
    this.outcome = Objects.requireNonNull(outcome, "outcome");
    this.state = state;
    this.closeReason = closeReason;
  }

  /**
   * The job.
   *
   * @return its key
   */
  public JobKey key() {
    return key;
  }

  /**
   * What happened.
   *
   * @return the outcome
   */
  public Outcome outcome() {
    return outcome;
  }

  /**
   * Whether the job is cancelled or being cancelled: {@link Outcome#CANCELLED} or
   * {@link Outcome#ALREADY_CANCELLED}.
   *
   * @return false only for a job that had ended otherwise
   */
  public boolean cancelled() {
    return outcome != Outcome.NOT_CANCELLABLE;
  }

  /**
   * The job's state as read when the service cancelled nothing ({@code finished}, {@code deleted}...);
   * null for {@link Outcome#CANCELLED}, where the answer's count was enough and no state was read.
   *
   * @return the state, or null
   */
  public String state() {
    return state;
  }

  /**
   * The job's close reason as read when the service cancelled nothing; null when it has none or
   * was not read.
   *
   * @return the close reason, or null
   */
  public String closeReason() {
    return closeReason;
  }

  /**
   * This outcome, or the error it is for a caller that needs the job cancelled.
   *
   * @return this, when {@link #cancelled()}
   * @throws JobNotCancellableException if the job had already ended otherwise, naming its key,
   *     state and close reason
   */
  public JobCancellation orThrow() {
    if (!cancelled()) {
      throw new JobNotCancellableException(key.toString(), state, closeReason, describe());
    }
    return this;
  }

  /**
   * One line for people, e.g. {@code job 1/2/3 was not cancelled: it had already ended (state
   * finished, close reason 'finished')}.
   *
   * @return the description
   */
  public String describe() {
    switch (outcome) {
      case CANCELLED:
        return "job " + key + " cancelled";
      case ALREADY_CANCELLED:
        return "job " + key + " had already been cancelled (state " + state + ")";
      default:
        String how = "(state " + state + (closeReason == null ? ", no close reason" : ", close reason '" + closeReason + "'") + ")";
        return "job " + key + " was not cancelled: "
            + ("pending".equals(state) || "running".equals(state) ? "the service cancelled nothing " : "it had already ended ") + how;
    }
  }

  @Override
  public String toString() {
    return describe();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof JobCancellation)) {
      return false;
    }
    JobCancellation c = (JobCancellation) o;
    return key.equals(c.key) && outcome == c.outcome && Objects.equals(state, c.state)
        && Objects.equals(closeReason, c.closeReason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, outcome, state, closeReason);
  }
}
