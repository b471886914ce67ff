package io.scrapinghubio.client.settings;

import io.scrapinghubio.client.core.Internal;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scrapinghubio.client.http.HttpTransport;
import io.scrapinghubio.client.http.CallOptions;
import io.scrapinghubio.client.json.Json;
import io.scrapinghubio.client.json.JsonLines;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A project's settings ({@code projects/P/settings}), as {@code project.settings} of the official
 * client.
 *
 * <p>The service stores the whole dict in one document, so {@link #set} and {@link #update} read
 * it, merge, and write the merged dict back (the official client does the same GET + POST). Two
 * writers racing on different keys can therefore overwrite each other: the API offers nothing
 * better. Writes are retried (re-posting the same dict is harmless).
 */
public final class Settings {
  private final HttpTransport transport;
  private final long projectId;

  /**
   * The settings of one project; {@code Project.settings()} hands them out.
   *
   * @param transport the client's transport
   * @param projectId the project's id
   */
  @Internal
  public Settings(HttpTransport transport, long projectId) {
    this.transport = transport;
    this.projectId = projectId;
  }

  /**
   * Every setting ({@code {}} when none is set).
   *
   * @return the settings
   */
  public ObjectNode list() {
    byte[] body = transport.get(url().build(), "application/json", CallOptions.IDEMPOTENT).body();
    List<JsonNode> docs = JsonLines.parse(body);
    if (docs.isEmpty() || docs.get(0).isNull()) {
      return Json.object();
    }
    if (!docs.get(0).isObject()) {
      throw new IllegalStateException("settings of project " + projectId + " are not a JSON object: " + docs.get(0));
    }
    return (ObjectNode) docs.get(0);
  }

  /**
   * The value of {@code key}, empty when it is not set (the service answers {@code null}).
   *
   * @param key the setting's name
   * @return the value, or empty
   */
  public Optional<JsonNode> get(String key) {
    byte[] body = transport.get(url().addPathSegment(checkKey(key)).build(), "application/json", CallOptions.IDEMPOTENT).body();
    List<JsonNode> docs = JsonLines.parse(body);
    return docs.isEmpty() || docs.get(0).isNull() ? Optional.empty() : Optional.of(docs.get(0));
  }

  /**
   * Sets one setting (read, merge, write back). {@code value} is any Jackson-encodable value.
   *
   * @param key the setting's name
   * @param value its value
   */
  public void set(String key, Object value) {
    update(Map.of(checkKey(key), Objects.requireNonNull(value, "value")));
  }

  /**
   * Merges {@code values} into the settings (read, merge, write back).
   *
   * @param values settings by name
   */
  public void update(Map<String, ?> values) {
    ObjectNode merged = list();
    values.forEach((k, v) -> merged.set(checkKey(k), Json.MAPPER.valueToTree(v)));
    byte[] body = Json.write(merged).getBytes(StandardCharsets.UTF_8);
    transport.post(url().build(), body, null, CallOptions.IDEMPOTENT);
  }

  /**
   * Removes one setting; removing an unset one is not an error.
   *
   * @param key the setting's name
   */
  public void delete(String key) {
    transport.delete(url().addPathSegment(checkKey(key)).build(), CallOptions.IDEMPOTENT);
  }

  private okhttp3.HttpUrl.Builder url() {
    return transport.storage("projects", Long.toString(projectId), "settings");
  }

  private static String checkKey(String key) {
    if (key == null || key.isEmpty() || key.contains("/")) {
      throw new IllegalArgumentException("setting name must be non-empty and contain no '/', but was '" + key + "'");
    }
    return key;
  }
}
