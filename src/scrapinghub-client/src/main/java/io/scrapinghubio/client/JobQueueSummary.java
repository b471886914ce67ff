package io.scrapinghubio.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of {@code jobq/P[/S]/summary[/state]}: a queue ({@code pending}, {@code running} or
 * {@code finished}), how many jobs it holds in all ({@link #count()}) and the most recent of them
 * ({@link #jobs()}, limited by the request's {@code count}).
 */
public final class JobQueueSummary {
  private final JsonNode json;

  /**
   * A queue as the service answered it.
   *
   * @param json the answer's JSON
   */
  public JobQueueSummary(JsonNode json) {
    this.json = json;
  }

  /**
   * {@code pending}, {@code running} or {@code finished}.
   *
   * @return the queue's name
   */
  public String name() {
    return json.path("name").asText(null);
  }

  /**
   * Total jobs in this state (not just those listed).
   *
   * @return the count
   */
  public long count() {
    return json.path("count").asLong(0);
  }

  /**
   * The queue's most recent jobs, as listed.
   *
   * @return the jobs
   */
  public List<JobSummary> jobs() {
    List<JobSummary> out = new ArrayList<>();
    json.path("summary").forEach(n -> out.add(new JobSummary(n)));
    return out;
  }

  /**
   * The answer as the service sent it.
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
