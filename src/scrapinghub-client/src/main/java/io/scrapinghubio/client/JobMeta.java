package io.scrapinghubio.client;

import io.scrapinghubio.client.core.JobKey;
import io.scrapinghubio.client.errors.NotFoundException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scrapinghubio.client.http.CallOptions;
import io.scrapinghubio.client.http.HttpResult;
import io.scrapinghubio.client.http.HttpTransport;
import io.scrapinghubio.client.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import okhttp3.HttpUrl;

/**
 * A job's metadata ({@code jobs/P/S/J}), as the official client's {@code job.metadata}: a JSON
 * dictionary with {@code state}, {@code spider}, {@code tags}, {@code close_reason},
 * {@code scrapystats} and any custom keys set at scheduling or later.
 *
 * <p>Writes are idempotent (they set values) and retried like reads.
 */
public final class JobMeta {
  /** Keys that {@link #update(Map)} never writes back, as in python-scrapinghub ({@code JobMeta.ignore_fields}). */
  public static final Set<String> IGNORED_ON_UPDATE = Set.of("auth", "_key", "state");

  private final ScrapinghubClient client;
  private final JobKey job;

  JobMeta(ScrapinghubClient client, JobKey job) {
    this.client = client;
    this.job = job;
  }

  private HttpUrl url(String key) {
    return key == null
        ? client.transport().storage("jobs", job.toString()).build()
        : client.transport().storage("jobs", job.toString()).addPathSegment(checkKey(key)).build();
  }

  private String checkKey(String key) {
    if (key == null || key.isEmpty() || key.contains("/")) {
      throw new IllegalArgumentException("metadata key must be non-empty without '/', but was '" + key + "' (job " + job + ")");
    }
    return key;
  }

  /**
   * The value of {@code key}; a JSON {@code null} node when the job has no such key.
   *
   * @param key the field
   * @return the value
   */
  public JsonNode get(String key) {
    HttpResult r = client.transport().get(url(key), "application/json", CallOptions.IDEMPOTENT);
    return r.body().length == 0 ? NullNode.getInstance() : Json.parse(r.body());
  }

  /**
   * Sets {@code key} to {@code value} (anything Jackson can encode: strings, numbers, maps, lists,
   * nodes).
   *
   * @param key the field
   * @param value the value
   */
  public void set(String key, Object value) {
    checkFinite(key, Json.MAPPER.valueToTree(value));
    HttpUrl u = url(key);
    client.transport().post(u, Json.write(value).getBytes(StandardCharsets.UTF_8), null, CallOptions.IDEMPOTENT);
  }

  /** JSON has no NaN or Infinity: refuse them rather than let them be stored as text. */
  private static void checkFinite(String key, JsonNode value) {
    if (value.isFloatingPointNumber() && !Double.isFinite(value.doubleValue())) {
      throw new IllegalArgumentException("metadata value for '" + key + "' is " + value.doubleValue()
          + ": JSON has no NaN or Infinity; store null, a finite number or a string");
    }
    value.forEach(v -> checkFinite(key, v));
  }

  /**
   * Merges {@code values} into the metadata: reads the whole dictionary, overlays the values and
   * writes it back without {@code auth}, {@code _key} and {@code state} (use {@link Job#update}
   * to change the state). Not atomic, as in the official client.
   *
   * @param values the fields to set
   * @throws NotFoundException if the job does not exist (see {@link #list()})
   */
  public void update(Map<String, ?> values) {
    Objects.requireNonNull(values, "values");
    Map<String, JsonNode> trees = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, ?> e : values.entrySet()) {
      checkKey(e.getKey());
      JsonNode v = Json.MAPPER.valueToTree(e.getValue());
      checkFinite(e.getKey(), v); // before any request: a refused value changes nothing
      trees.put(e.getKey(), v);
    }
    ObjectNode merged = list();
    for (Map.Entry<String, JsonNode> e : trees.entrySet()) {
      merged.set(e.getKey(), e.getValue());
    }
    IGNORED_ON_UPDATE.forEach(merged::remove);
    client.transport().post(url(null), Json.write(merged).getBytes(StandardCharsets.UTF_8), null, CallOptions.IDEMPOTENT);
  }

  /**
   * Removes {@code key}; removing a missing key is not an error.
   *
   * @param key the field
   */
  public void delete(String key) {
    client.transport().delete(url(key), CallOptions.IDEMPOTENT);
  }

  /**
   * The whole dictionary.
   *
   * @return the dictionary
   * @throws NotFoundException if the job does not exist: the service then answers an empty body
   *     (every job it knows has at least {@code state}), where the official client's
   *     {@code next()} stops and {@code shub} reports "Job ... does not exist"
   */
  public ObjectNode list() {
    HttpResult r = client.transport().get(url(null), HttpTransport.JSON_LINES, CallOptions.IDEMPOTENT_JSON_LINES);
    String text = new String(r.body(), StandardCharsets.UTF_8).strip();
    if (text.isEmpty()) {
      throw new NotFoundException("job " + job + " not found: the service has no metadata for it (check the job key)");
    }
    int nl = text.indexOf('\n');
    JsonNode n = Json.parse(nl < 0 ? text : text.substring(0, nl));
    if (!n.isObject()) {
      throw new io.scrapinghubio.client.errors.ScrapinghubException(
          "metadata of job " + job + " is not a JSON object: " + Json.write(n));
    }
    return (ObjectNode) n;
  }

  /**
   * The dictionary's entries, as {@code metadata.iter()} yields (key, value) pairs.
   *
   * @return the entries
   * @throws NotFoundException if the job does not exist (see {@link #list()})
   */
  public List<Map.Entry<String, JsonNode>> iter() {
    List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
    list().fields().forEachRemaining(out::add);
    return out;
  }

  @Override
  public String toString() {
    return "JobMeta(" + job + ")";
  }
}
