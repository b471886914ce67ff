package io.scrapinghubio.client.activity;

import io.scrapinghubio.client.core.Internal;
import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.core.JobKey;
import io.scrapinghubio.client.http.HttpTransport;
import io.scrapinghubio.client.http.CallOptions;
import io.scrapinghubio.client.json.Json;
import io.scrapinghubio.client.json.JsonLines;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;

/**
 * A project's activity log ({@code activity/P}): events such as {@code {"event":"job:cancelled",
 * "job":"P/S/J","user":"john"}}, served newest first.
 *
 * <p>Adding is not retried on HTTP errors: the endpoint appends, so a repeated POST could record an
 * event twice (the official client does not retry it either).
 */
public final class Activity {
  private final HttpTransport transport;
  private final long projectId;

  /**
   * The activity of one project; {@code Project.activity()} hands it out.
   *
   * @param transport the client's transport
   * @param projectId the project's id
   */
  @Internal
  public Activity(HttpTransport transport, long projectId) {
    this.transport = transport;
    this.projectId = projectId;
  }

  /**
   * The newest {@code count} events (all of them when {@code count <= 0}), newest first.
   *
   * @param count how many events
   * @return the events
   */
  public List<JsonNode> list(int count) {
    return list(new ActivityQuery().count(count));
  }

  /**
   * Every event, newest first.
   *
   * @return the events
   */
  public List<JsonNode> list() {
    return list(new ActivityQuery());
  }

  /**
   * Events selected by {@code query}, newest first.
   *
   * @param query the selection
   * @return the events
   */
  public List<JsonNode> list(ActivityQuery query) {
    HttpUrl url = query.applyTo(transport.storage("activity", Long.toString(projectId))).build();
    return JsonLines.parse(transport.get(url, HttpTransport.JSON_LINES, CallOptions.IDEMPOTENT_JSON_LINES).body());
  }

  /**
   * Same as {@link #list(ActivityQuery)}, as an {@code Iterable}.
   *
   * @param query the selection
   * @return the events
   */
  public Iterable<JsonNode> iter(ActivityQuery query) {
    return list(query);
  }

  /**
   * Adds one event. Unlike python-scrapinghub 2.8 (which raises on a dict), a single event works.
   *
   * @param event the event, a JSON object
   */
  public void add(Map<String, ?> event) {
    add(List.of(event));
  }

  /**
   * Adds events in one request. Each event that names a {@code job} must name a job of this
   * project; nothing is sent if one does not.
   *
   * @param events the events, JSON objects
   */
  public void add(List<? extends Map<String, ?>> events) {
    if (events.isEmpty()) {
      return;
    }
    List<JsonNode> nodes = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      JsonNode e = Json.MAPPER.valueToTree(events.get(i));
      if (e == null || !e.isObject()) {
        throw new IllegalArgumentException("activity event #" + i + " must be a JSON object, but was " + e);
      }
      JsonNode job = e.get("job");
      if (job != null && !job.isNull()) {
        JobKey key = JobKey.parse(job.asText());
        if (key.project() != projectId) {
          throw new IllegalArgumentException("activity event #" + i + " names job " + key
              + " which does not belong to project " + projectId);
        }
      }
      nodes.add(e);
    }
    transport.post(transport.storage("activity", Long.toString(projectId)).build(),
        JsonLines.encode(nodes), null, CallOptions.NOT_IDEMPOTENT);
  }
}
