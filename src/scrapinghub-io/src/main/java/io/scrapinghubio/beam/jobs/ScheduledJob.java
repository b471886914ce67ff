package io.scrapinghubio.beam.jobs;

import io.scrapinghubio.client.RunRequest;
import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;

/** A job {@code scheduleJobs()} scheduled (or found) for a run request. */
@DefaultCoder(SerializableCoder.class)
public final class ScheduledJob implements Serializable {
  private static final long serialVersionUID = 1L;

  /** How the job came to be. */
  public enum Outcome {
    /** run.json scheduled it now. */
    SCHEDULED,
    /** An earlier attempt (a retried bundle or call) had already scheduled it: found by its dedupe tag. */
    ALREADY_SCHEDULED,
    /** DuplicateJob answered and {@link DuplicatePolicy#RETURN_EXISTING}: the job already pending or running. */
    EXISTING
  }

  /** See {@link #jobKey()}. */
  private final String jobKey;
  /** See {@link #request()}. */
  private final RunRequest request;
  /** See {@link #requestTag()}. */
  private final String requestTag;
  /** See {@link #outcome()}. */
  private final Outcome outcome;

  /**
   * A job scheduled or found for a request.
   *
   * @param jobKey the job, {@code P/S/J}
   * @param request the run request, as given
   * @param requestTag the request's dedupe tag
   * @param outcome how the job came to be
   */
  public ScheduledJob(String jobKey, RunRequest request, String requestTag, Outcome outcome) {
    this.jobKey = Objects.requireNonNull(jobKey, "jobKey");
    this.request = Objects.requireNonNull(request, "request");
    this.requestTag = Objects.requireNonNull(requestTag, "requestTag");
    this.outcome = Objects.requireNonNull(outcome, "outcome");
  }

  /**
   * {@code P/S/J}.
   *
   * @return the job key
   */
  public String jobKey() {
    return jobKey;
  }

  /**
   * The run request, as given (without the dedupe tag).
   *
   * @return the request
   */
  public RunRequest request() {
    return request;
  }

  /**
   * The deterministic tag ({@code sio-req:...}) the job carries.
   *
   * @return the tag
   */
  public String requestTag() {
    return requestTag;
  }

  /**
   * How the job came to be: scheduled now, by an earlier attempt, or already pending or running.
   *
   * @return the outcome
   */
  public Outcome outcome() {
    return outcome;
  }

  @Override
  public String toString() {
    return "ScheduledJob{" + jobKey + " " + outcome + " " + request.spider() + " " + request.args() + "}";
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ScheduledJob)) {
      return false;
    }
    ScheduledJob s = (ScheduledJob) o;
    return jobKey.equals(s.jobKey) && request.equals(s.request) && requestTag.equals(s.requestTag) && outcome == s.outcome;
  }

  @Override
  public int hashCode() {
    return Objects.hash(jobKey, request, requestTag, outcome);
  }
}
