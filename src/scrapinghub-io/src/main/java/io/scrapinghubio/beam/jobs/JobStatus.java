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

  private final String jobKey;
  private final String spider;
  private final String state;
  private final String closeReason;
  private final long items;
  private final List<String> tags;

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

  /** {@code P/S/J}. */
  public String jobKey() {
    return jobKey;
  }

  public String spider() {
    return spider;
  }

  /** pending, running, finished or deleted. */
  public String state() {
    return state;
  }

  /** e.g. {@code finished}, {@code cancelled}, {@code failed}; null while not finished. */
  public String closeReason() {
    return closeReason;
  }

  /** Items scraped as the job queue reports them, or -1 when it does not say. */
  public long items() {
    return items;
  }

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
