package io.scrapinghubio.beam.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.JobSummary;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;

/** A job's state as {@code awaitJobs()} last saw it in the job queue. */
@DefaultCoder(SerializableCoder.class)
public final class JobStatus implements Serializable {
  private static final long serialVersionUID = 1L;

  /** See {@link #jobKey()}. */
  private final String jobKey;
  /** See {@link #spider()}. */
  private final String spider;
  /** See {@link #state()}. */
  private final String state;
  /** See {@link #closeReason()}. */
  private final String closeReason;
  /** See {@link #items()}. */
  private final long items;
  /** See {@link #tags()}. */
  private final List<String> tags;

  /**
   * A job's status as read from the job queue.
   *
   * @param jobKey the job, {@code P/S/J}
   * @param spider the spider's name, or null when the queue does not say
   * @param state pending, running, finished or deleted
   * @param closeReason the close reason, or null while not finished
   * @param items items scraped, or -1 when unknown
   * @param tags the job's tags (copied)
   */
  public JobStatus(String jobKey, String spider, String state, String closeReason, long items, List<String> tags) {
    this.jobKey = Objects.requireNonNull(jobKey, "jobKey");
    this.spider = spider;
    this.state = Objects.requireNonNull(state, "state");
    this.closeReason = closeReason;
    this.items = items;
    this.tags = List.copyOf(tags);
  }

  static JobStatus of(JobSummary s) {
    JsonNode j = s.json();
    List<String> tags = new ArrayList<>(s.tags());
    return new JobStatus(s.key().toString(), s.spider(), String.valueOf(s.state()),
        j.hasNonNull("close_reason") ? j.get("close_reason").asText() : null, s.items().orElse(-1), tags);
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
   * The spider's name.
   *
   * @return the name, or null when the job queue does not say
   */
  public String spider() {
    return spider;
  }

  /**
   * pending, running, finished or deleted.
   *
   * @return the state
   */
  public String state() {
    return state;
  }

  /**
   * e.g. {@code finished}, {@code cancelled}, {@code failed}; null while not finished.
   *
   * @return the close reason, or null
   */
  public String closeReason() {
    return closeReason;
  }

  /**
   * Items scraped as the job queue reports them, or -1 when it does not say.
   *
   * @return the item count, or -1
   */
  public long items() {
    return items;
  }

  /**
   * The job's tags when it was polled.
   *
   * @return an unmodifiable list
   */
  public List<String> tags() {
    return tags;
  }

  @Override
  public String toString() {
    return "JobStatus{" + jobKey + " " + state + (closeReason != null ? " (" + closeReason + ")" : "")
        + (items >= 0 ? ", " + items + " items" : "") + "}";
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof JobStatus)) {
      return false;
    }
    JobStatus s = (JobStatus) o;
    return jobKey.equals(s.jobKey) && Objects.equals(spider, s.spider) && state.equals(s.state)
        && Objects.equals(closeReason, s.closeReason) && items == s.items && tags.equals(s.tags);
  }

  @Override
  public int hashCode() {
    return Objects.hash(jobKey, spider, state, closeReason, items, tags);
  }
}
