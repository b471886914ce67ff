package io.scrapinghubio.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.json.Json;

/**
 * Job counts of one project ({@code projects/jobsummaries} or {@code projects/P/jobsummary}):
 * pending, running and finished jobs and whether it may start more. The raw JSON (which also holds
 * e.g. {@code running_units_count}, {@code pending_units_max}) stays available via {@link #json()}.
 */
public record ProjectSummary(long project, long pending, long running, long finished, boolean hasCapacity, JsonNode json) {
  /**
   * A summary from the service's JSON.
   *
   * @param n one project's counts
   * @return the summary
   */
  public static ProjectSummary of(JsonNode n) {
    return new ProjectSummary(n.path("project").asLong(), n.path("pending").asLong(), n.path("running").asLong(),
        n.path("finished").asLong(), n.path("has_capacity").asBoolean(false), n);
  }

  @Override
  public String toString() {
    return Json.write(json);
  }
}
