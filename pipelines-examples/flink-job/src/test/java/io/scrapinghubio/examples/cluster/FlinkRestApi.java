package io.scrapinghubio.examples.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the tests ask Flink's REST API: a job by name, its state, where its subtasks ran, its
 * failures and checkpoints; and a cancellation.
 */
final class FlinkRestApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  FlinkRestApi(String restUrl) {
    this.base = restUrl.endsWith("/") ? restUrl.substring(0, restUrl.length() - 1) : restUrl;
  }

  JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
    }
    return JSON.readTree(r.body());
  }

  /** The id of the job with this name (job names are unique per test), if the cluster has seen it. */
  Optional<String> jobId(String name) throws IOException, InterruptedException {
    for (JsonNode j : get("/jobs/overview").path("jobs")) {
      if (name.equals(j.path("name").asText())) {
        return Optional.of(j.path("jid").asText());
      }
    }
    return Optional.empty();
  }

  String state(String jobId) throws IOException, InterruptedException {
    return get("/jobs/" + jobId).path("state").asText();
  }

  /** Resource ids of the TaskManagers that ran (or run) any subtask of the job. */
  Set<String> taskManagersOf(String jobId) throws IOException, InterruptedException {
    Set<String> ids = new TreeSet<>();
    for (JsonNode v : get("/jobs/" + jobId).path("vertices")) {
      for (JsonNode tm : get("/jobs/" + jobId + "/vertices/" + v.path("id").asText() + "/taskmanagers").path("taskmanagers")) {
        ids.add(tm.path("taskmanager-id").asText());
      }
    }
    return ids;
  }

  /** TaskManagers that run a subtask of the job right now. */
  Set<String> taskManagersRunning(String jobId) throws IOException, InterruptedException {
    Set<String> ids = new TreeSet<>();
    for (JsonNode v : get("/jobs/" + jobId).path("vertices")) {
      for (JsonNode tm : get("/jobs/" + jobId + "/vertices/" + v.path("id").asText() + "/taskmanagers").path("taskmanagers")) {
        if (tm.path("status-counts").path("RUNNING").asInt() > 0) {
          ids.add(tm.path("taskmanager-id").asText());
        }
      }
    }
    return ids;
  }

  /** The job's checkpoint statistics: {@code counts}, {@code latest.completed}, {@code latest.restored}... */
  JsonNode checkpoints(String jobId) throws IOException, InterruptedException {
    return get("/jobs/" + jobId + "/checkpoints");
  }

  /** Cancels the job; Flink answers 202 and cancels it in the background. */
  void cancel(String jobId) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + jobId + "?mode=cancel"))
        .method("PATCH", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 202) {
      throw new IOException("PATCH /jobs/" + jobId + "?mode=cancel: HTTP " + r.statusCode() + " " + r.body());
    }
  }

  /** The failures the job recovered from (or died of), oldest last, as Flink recorded them. */
  JsonNode exceptionHistory(String jobId) throws IOException, InterruptedException {
    return get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries");
  }
}
