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

  /**
   * Ids of the projects available to this key ({@code scrapyd/listprojects.json}).
   *
   * @return the ids
   */
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
   * Job counts of every project the key can access ({@code projects/jobsummaries}).
   *
   * @return the counts
   */
  public List<ProjectSummary> summary() {
    return summary(null);
  }

  /**
   * Job counts of every project the key can access; {@code state} ({@code pending},
   * {@code running}, {@code finished}, or null for all) is passed on as the service's filter.
   *
   * @param state a state, or null
   * @return the counts
   */
  public List<ProjectSummary> summary(String state) {
    okhttp3.HttpUrl.Builder url = client.transport().storage("projects", "jobsummaries");
    if (state != null) {
      url.addQueryParameter("state", state);
    }
    byte[] body = client.transport().get(url.build(), "application/json", CallOptions.IDEMPOTENT).body();
    List<ProjectSummary> out = new ArrayList<>();
    for (com.fasterxml.jackson.databind.JsonNode doc : io.scrapinghubio.client.json.JsonLines.parse(body)) {
      // One JSON array in practice; tolerate one summary object per line too.
      if (doc.isArray()) {
        doc.forEach(n -> out.add(ProjectSummary.of(n)));
      } else if (doc.isObject()) {
        out.add(ProjectSummary.of(doc));
      }
    }
    return out;
  }

  /**
   * A handle on a project; no request is made.
   *
   * @param projectId the project's id
   * @return the project
   */
  public Project get(long projectId) {
    return new Project(client, projectId);
  }
}
