package io.scrapinghubio.client;

import io.scrapinghubio.client.core.JobKey;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * One line of the job queue listing ({@code jobq/P/list}): key, state, spider, timestamps, tags
 * and, for platform jobs, the {@code items}/{@code logs}/{@code pages}/{@code errors} counts. The
 * raw JSON stays available through {@link #json()} (fields vary with {@code jobmeta}).
 */
public final class JobSummary {
  private final JsonNode json;

  /**
   * A summary as the service listed it.
   *
   * @param json the summary's JSON
   */
  public JobSummary(JsonNode json) {
    this.json = json;
  }

  /**
   * The job's key.
   *
   * @return the key
   */
  public JobKey key() {
    return JobKey.parse(json.path("key").asText());
  }

  /**
   * The job's state.
   *
   * @return the state, or null when not listed
   */
  public String state() {
    return json.path("state").asText(null);
  }

  /**
   * The spider's name.
   *
   * @return the name, or null when not listed
   */
  public String spider() {
    return json.path("spider").asText(null);
  }

  /**
   * Item count when the listing carries it (finished platform jobs do).
   *
   * @return the count, or empty
   */
  public OptionalLong items() {
    JsonNode n = json.get("items");
    return n != null && n.canConvertToLong() ? OptionalLong.of(n.asLong()) : OptionalLong.empty();
  }

  /**
   * The job's tags.
   *
   * @return the tags, possibly none
   */
  public List<String> tags() {
    List<String> tags = new ArrayList<>();
    json.path("tags").forEach(t -> tags.add(t.asText()));
    return tags;
  }

  /**
   * The job's close reason.
   *
   * @return the reason, or null while not finished or not listed
   */
  public String closeReason() {
    return json.path("close_reason").asText(null);
  }

  /**
   * The summary as the service sent it.
   *
   * @return the JSON
   */
  public JsonNode json() {
    return json;
  }

  @Override
  public String toString() {
    return Json.write(json);
  }
}
