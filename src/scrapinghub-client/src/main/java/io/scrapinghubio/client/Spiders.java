package io.scrapinghubio.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.errors.NotFoundException;
import io.scrapinghubio.client.http.CallOptions;
import io.scrapinghubio.client.json.Json;
import java.util.ArrayList;
import java.util.List;
import okhttp3.Request;

/** A project's spiders: list them, or get one by name. */
public final class Spiders {
  private final ScrapinghubClient client;
  private final long projectId;

  Spiders(ScrapinghubClient client, long projectId) {
    this.client = client;
    this.projectId = projectId;
  }

  /**
   * The spiders as the app API describes them ({@code id} = name, {@code type}, {@code tags}...).
   *
   * @return the spiders
   */
  public List<JsonNode> list() {
    Request req = new Request.Builder()
        .url(client.transport().dash("spiders/list.json").addQueryParameter("project", Long.toString(projectId)).build())
        .tag(CallOptions.class, CallOptions.IDEMPOTENT)
        .build();
    List<JsonNode> out = new ArrayList<>();
    client.transport().dash(req).path("spiders").forEach(out::add);
    return out;
  }

  /**
   * The spider called {@code name}.
   *
   * @param name the spider's name
   * @return the spider
   * @throws NotFoundException if the project has no such spider
   */
  public Spider get(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("spider name must be non-empty, but was '" + name + "'");
    }
    JsonNode id = Json.parse(client.transport()
        .get(client.transport().storage("ids", Long.toString(projectId), "spider", name).build(), "application/json", CallOptions.IDEMPOTENT)
        .body());
    if (id == null || id.isNull() || !id.canConvertToLong()) {
      throw new NotFoundException("Spider " + name + " doesn't exist in project " + projectId + ".");
    }
    return new Spider(client, projectId, id.asLong(), name);
  }
}
