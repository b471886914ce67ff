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

  public JobSummary(JsonNode json) {
    this.json = json;
  }

  public JobKey key() {
    return JobKey.parse(json.path("key").asText());
  }

  public String state() {
    return json.path("state").asText(null);
  }

  public String spider() {
    return json.path("spider").asText(null);
  }

  /** Item count when the listing carries it (finished platform jobs do). */
  public OptionalLong items() {
    JsonNode n = json.get("items");
    return n != null && n.canConvertToLong() ? OptionalLong.of(n.asLong()) : OptionalLong.empty();
  }

  public List<String> tags() {
    List<String> tags = new ArrayList<>();
    json.path("tags").forEach(t -> tags.add(t.asText()));
    return tags;
  }

  public String closeReason() {
    return json.path("close_reason").asText(null);
  }

  public JsonNode json() {
    return json;
  }

  @Override
  public String toString() {
    return Json.write(json);
  }
}
