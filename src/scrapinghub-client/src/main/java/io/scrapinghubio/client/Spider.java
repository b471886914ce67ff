package io.scrapinghubio.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scrapinghubio.client.http.CallOptions;
import io.scrapinghubio.client.json.Json;
import java.util.ArrayList;
import java.util.List;

/** One spider of a project: its numeric id, name and jobs. */
public final class Spider {
  private final ScrapinghubClient client;
  private final long projectId;
  private final long id;
  private final String name;

  Spider(ScrapinghubClient client, long projectId, long id, String name) {
    this.client = client;
    this.projectId = projectId;
    this.id = id;
    this.name = name;
  }

  /**
   * The spider's numeric id.
   *
   * @return the id
   */
  public long id() {
    return id;
  }

  /**
   * The spider's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The spider's project.
   *
   * @return the project's id
   */
  public long projectId() {
    return projectId;
  }

  /**
   * The jobs of this spider only.
   *
   * @return the jobs
   */
  public Jobs jobs() {
    return new Jobs(client, projectId, name, id);
  }

  /**
   * The spider's tags ({@code GET api/v2/projects/P/spiders/S}).
   *
   * @return the tags
   */
  public List<String> listTags() {
    JsonNode n = client.transport().dashGet(client.transport().dash(v2Path()).build());
    List<String> tags = new ArrayList<>();
    n.path("tags").forEach(t -> tags.add(t.asText()));
    return tags;
  }

  /**
   * Adds and removes spider tags ({@code PATCH api/v2/projects/P/spiders/S/tags}, JSON body
   * {@code {"add":[...],"remove":[...]}}; empty lists are left out).
   *
   * @param add tags to add
   * @param remove tags to remove
   * @return the tags after the update
   * @throws IllegalArgumentException if both lists are empty (the service would answer 400)
   */
  public List<String> updateTags(List<String> add, List<String> remove) {
    List<String> a = Job.tags(add);
    List<String> r = Job.tags(remove);
    if (a.isEmpty() && r.isEmpty()) {
      throw new IllegalArgumentException("updateTags needs at least one tag to add or remove (spider " + name + ")");
    }
    ObjectNode body = Json.object();
    if (!a.isEmpty()) {
      a.forEach(body.putArray("add")::add);
    }
    if (!r.isEmpty()) {
      r.forEach(body.putArray("remove")::add);
    }
    JsonNode n = client.transport().dashJson("PATCH", v2Path() + "/tags", body, CallOptions.IDEMPOTENT);
    List<String> tags = new ArrayList<>();
    n.path("tags").forEach(t -> tags.add(t.asText()));
    return tags;
  }

  private String v2Path() {
    return "v2/projects/" + projectId + "/spiders/" + id;
  }

  @Override
  public String toString() {
    return "Spider(" + projectId + "/" + id + " " + name + ")";
  }
}
