package io.scrapinghubio.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.http.CallOptions;
import io.scrapinghubio.client.json.Json;
import okhttp3.HttpUrl;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Request;

/** The projects the key can access. */
public final class Projects {
  private final ScrapinghubClient client;

  Projects(ScrapinghubClient client) {
    this.client = client;
  }

  /** Ids of the projects available to this key ({@code scrapyd/listprojects.json}). */
  public List<Long> list() {
    Request req = new Request.Builder()
        .url(client.transport().dash("scrapyd/listprojects.json").build())
        .tag(CallOptions.class, CallOptions.IDEMPOTENT)
        .build();
    List<Long> ids = new ArrayList<>();
    client.transport().dash(req).path("projects").forEach(n -> ids.add(n.asLong()));
    return ids;
  }

  /**
   * Job counts per project ({@code GET projects/jobsummaries[?state=...]}): one object per project
   * with {@code project}, {@code pending}, {@code running}, {@code finished}, {@code has_capacity}.
   */
  public List<JsonNode> summary(String state) {
    HttpUrl.Builder url = client.transport().storage("projects", "jobsummaries");
    if (state != null) {
      if (!JobQuery.STATES.contains(state)) {
        throw new IllegalArgumentException("unknown job state '" + state + "': expected one of " + JobQuery.STATES);
      }
      url.addQueryParameter("state", state);
    }
    JsonNode n = Json.parse(client.transport().get(url.build(), "application/json", CallOptions.IDEMPOTENT).body());
    List<JsonNode> out = new ArrayList<>();
    n.forEach(out::add);
    return out;
  }

  public List<JsonNode> summary() {
    return summary(null);
  }

  public Project get(long projectId) {
    return new Project(client, projectId);
  }
}
