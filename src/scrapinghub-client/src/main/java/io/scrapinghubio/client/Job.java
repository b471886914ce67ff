package io.scrapinghubio.client;

import io.scrapinghubio.client.core.JobKey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scrapinghubio.client.errors.NotFoundException;
import io.scrapinghubio.client.http.CallOptions;
import io.scrapinghubio.client.http.HttpResult;
import io.scrapinghubio.client.http.HttpTransport;
import io.scrapinghubio.client.json.Json;
import io.scrapinghubio.client.read.JobDataType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One job ({@code P/S/J}): its data, metadata and life cycle, as python-scrapinghub's {@code Job}.
 * Creating it makes no request.
 */
public final class Job {
  private final ScrapinghubClient client;
  private final JobKey key;

  Job(ScrapinghubClient client, JobKey key) {
    this.client = client;
    this.key = Objects.requireNonNull(key, "key");
  }

  /**
   * The job's key.
   *
   * @return the key
   */
  public JobKey key() {
    return key;
  }

  /**
   * The job's items.
   *
   * @return the items' record log
   */
  public JobData items() {
    return new JobData(client, key, JobDataType.ITEMS);
  }

  /**
   * The job's log lines.
   *
   * @return the log's record log
   */
  public Logs logs() {
    return new Logs(client, key);
  }

  /**
   * The job's request records.
   *
   * @return the requests' record log
   */
  public JobData requests() {
    return new JobData(client, key, JobDataType.REQUESTS);
  }

  /**
   * The job's stats samples.
   *
   * @return the samples' record log
   */
  public JobData samples() {
    return new JobData(client, key, JobDataType.SAMPLES);
  }

  /**
   * The record log of the given type.
   *
   * @param type the data type
   * @return the record log
   */
  public JobData data(JobDataType type) {
    return new JobData(client, key, type);
  }

  /**
   * A batch writer that appends records of {@code type} to this job (as the official client's
   * {@code job.items.write}): batched by count and bytes, uploaded in order, exact offsets.
   *
   * @param type the data type
   * @param options batching limits and the first offset
   * @return the writer; close it to upload what it holds
   */
  public io.scrapinghubio.client.write.BatchWriter<Object> writer(JobDataType type, io.scrapinghubio.client.write.WriterOptions options) {
    return io.scrapinghubio.client.write.JobWriters.of(client.transport(), key, type, options);
  }

  /**
   * The synchronous uploader behind {@link #writer}, for callers that batch and encode
   * ({@link io.scrapinghubio.client.write.JsonEncoder}) themselves: each batch goes to
   * {@code POST <type>/P/S/J?start=<offset>}, gzipped except for samples, as the official client's
   * writers send it. Stateless and thread-safe; a re-sent batch lands on the same positions.
   *
   * @param type the data type
   * @return the uploader
   */
  public io.scrapinghubio.client.write.BatchUploader uploader(JobDataType type) {
    return io.scrapinghubio.client.write.JobWriters.uploader(client.transport(), key, type);
  }

  /**
   * The job's metadata dictionary ({@code jobs/P/S/J}).
   *
   * @return the metadata
   */
  public JobMeta metadata() {
    return new JobMeta(client, key);
  }

  /**
   * Asks the service to cancel the job ({@code POST jobq/P/S/J/cancel}). A pending job is
   * finished at once; a running one is stopped asynchronously (its state stays {@code running}
   * until the runner ends it with close reason {@code cancelled}).
   *
   * <p>The service answers {@code {"count": 1}} when it cancelled the job and {@code {"count": 0}}
   * when it cancelled nothing, alike for a job that had already ended and for a key it does not
   * know. On a count of 0 one {@code jobq/P/jobsummary} request tells them apart: no such job is a
   * {@link NotFoundException}; a job whose close reason is {@code cancelled} (or that carries
   * {@code cancelled_by} without a close reason) had already been cancelled, so cancelling twice,
   * or again after an answer that was lost, is {@link JobCancellation.Outcome#ALREADY_CANCELLED};
   * any other job (finished otherwise, deleted) was <em>not</em> cancelled and is reported as
   * {@link JobCancellation.Outcome#NOT_CANCELLABLE} with its state and close reason
   * ({@link JobCancellation#orThrow()} turns that into an exception).
   *
   * @return what happened, with the job's state and close reason when the service cancelled nothing
   * @throws NotFoundException if the project has no such job (or the key cannot see it)
   */
  public JobCancellation cancel() {
    HttpResult r = client.transport().post(client.transport().storage("jobq", key.toString(), "cancel").build(),
        new byte[0], null, CallOptions.IDEMPOTENT);
    if (Json.parse(r.body()).path("count").asLong(0) > 0) {
      return new JobCancellation(key, JobCancellation.Outcome.CANCELLED, null, null);
    }
    // {"count": 0}: a job that had already ended, or a typo. Only the job's own fields tell which.
    HttpResult s = client.transport().get(client.transport().storage("jobq", Long.toString(key.project()), "jobsummary")
        .addQueryParameter("key", key.toString()).addQueryParameter("jobmeta", "close_reason")
        .addQueryParameter("jobmeta", "cancelled_by").build(), HttpTransport.JSON_LINES, CallOptions.IDEMPOTENT_JSON_LINES);
    JsonNode summary = null;
    for (JsonNode n : io.scrapinghubio.client.json.JsonLines.parse(s.body())) {
      if (key.toString().equals(n.path("key").asText(null))) {
        summary = n;
      }
    }
    if (summary == null) {
      throw new NotFoundException("cannot cancel job " + key + ": project " + key.project()
          + " has no such job (or the API key cannot see it); expected the key of an existing job, project/spider/job");
    }
    String state = summary.path("state").asText(null);
    String closeReason = summary.hasNonNull("close_reason") ? summary.get("close_reason").asText() : null;
    boolean cancelledBefore = "cancelled".equals(closeReason) || (closeReason == null && summary.hasNonNull("cancelled_by"));
    return new JobCancellation(key, cancelledBefore ? JobCancellation.Outcome.ALREADY_CANCELLED
        : JobCancellation.Outcome.NOT_CANCELLABLE, state, closeReason);
  }

  /**
   * Moves the job to {@code state} ({@code pending}, {@code running}, {@code finished} or
   * {@code deleted}) and sets the extra metadata in the same call ({@code POST jobq/P/update},
   * body {@code {"key":"P/S/J","state":...,...}}).
   *
   * @param state the new state
   * @param meta metadata to set
   * @return the state the job had before
   * @throws NotFoundException if the service knows no such job
   */
  public String update(String state, Map<String, ?> meta) {
    if (state == null || !JobQuery.STATES.contains(state)) {
      throw new IllegalArgumentException("unknown job state '" + state + "': expected one of " + JobQuery.STATES);
    }
    Objects.requireNonNull(meta, "meta");
    ObjectNode body = Json.object();
    for (Map.Entry<String, ?> e : meta.entrySet()) {
      if (e.getKey() == null || e.getKey().isEmpty() || e.getKey().equals("key") || e.getKey().equals("state")) {
        throw new IllegalArgumentException("metadata key '" + e.getKey() + "' cannot be set by update() (job " + key + ")");
      }
      body.set(e.getKey(), Json.MAPPER.valueToTree(e.getValue()));
    }
    body.put("key", key.toString());
    body.put("state", state);
    // Setting a state is idempotent; a retry may only report a different prevstate.
    HttpResult r = client.transport().post(
        client.transport().storage("jobq", Long.toString(key.project()), "update").build(),
        Json.write(body).getBytes(StandardCharsets.UTF_8), null, CallOptions.IDEMPOTENT_JSON_LINES);
    String text = new String(r.body(), StandardCharsets.UTF_8).strip();
    if (text.isEmpty()) {
      throw new NotFoundException("job " + key + " not found: the job queue updated nothing");
    }
    int nl = text.indexOf('\n');
    JsonNode first = Json.parse(nl < 0 ? text : text.substring(0, nl));
    return first.path("prevstate").asText(null);
  }

  /**
   * Moves the job to {@code state}; see {@link #update(String, Map)}.
   *
   * @param state the new state
   * @return the state the job had before
   */
  public String update(String state) {
    return update(state, Map.of());
  }

  /**
   * {@code update("running", meta)}.
   *
   * @param meta metadata to set
   * @return the state the job had before
   */
  public String start(Map<String, ?> meta) {
    return update("running", meta);
  }

  /**
   * {@code update("running")}.
   *
   * @return the state the job had before
   */
  public String start() {
    return start(Map.of());
  }

  /**
   * {@code update("finished", meta)}.
   *
   * @param meta metadata to set
   * @return the state the job had before
   */
  public String finish(Map<String, ?> meta) {
    return update("finished", meta);
  }

  /**
   * {@code update("finished")}.
   *
   * @return the state the job had before
   */
  public String finish() {
    return finish(Map.of());
  }

  /**
   * Marks the job deleted ({@code update("deleted", meta)}, a job-queue state change, not the
   * legacy {@code jobs/delete.json}).
   *
   * @param meta metadata to set
   * @return the state the job had before
   */
  public String delete(Map<String, ?> meta) {
    return update("deleted", meta);
  }

  /**
   * Marks the job deleted; see {@link #delete(Map)}.
   *
   * @return the state the job had before
   */
  public String delete() {
    return delete(Map.of());
  }

  /**
   * Adds and removes tags ({@code POST api/jobs/update.json} with {@code job=P/S/J}). Makes no
   * call when both lists are empty.
   *
   * @param add tags to add
   * @param remove tags to remove
   * @return how many jobs the service updated (1, or 0 when nothing was asked)
   * @throws NotFoundException if the project has no such job (or the key cannot see it): the
   *     service then answers "ok" and updates nothing
   */
  public long updateTags(List<String> add, List<String> remove) {
    long n = Jobs.updateTags(client, key.project(), "job", key.toString(), add, remove);
    if (n == 0 && !(Job.tags(add).isEmpty() && Job.tags(remove).isEmpty())) {
      throw new NotFoundException("cannot update the tags of job " + key + ": the service updated no job, so project "
          + key.project() + " has no such job (or the API key cannot see it); expected the key of an existing job, project/spider/job");
    }
    return n;
  }

  @Override
  public String toString() {
    return "Job(" + key + ")";
  }

  static List<String> tags(List<String> tags) {
    List<String> out = new ArrayList<>();
    if (tags != null) {
      for (String t : tags) {
        out.add(RunRequest.checkTag(t));
      }
    }
    return out;
  }
}
