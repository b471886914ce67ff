package io.scrapinghubio.client;

import io.scrapinghubio.client.http.CallOptions;
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

  public Project get(long projectId) {
    return new Project(client, projectId);
  }
}
