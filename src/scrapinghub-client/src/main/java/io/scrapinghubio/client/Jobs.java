package io.scrapinghubio.client;

import io.scrapinghubio.client.core.JobKey;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.errors.ScrapinghubException;
import io.scrapinghubio.client.http.CallOptions;
import io.scrapinghubio.client.http.HttpResult;
import io.scrapinghubio.client.http.HttpTransport;
import io.scrapinghubio.client.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.NoSuchElementException;
import okhttp3.HttpUrl;

/**
 * The jobs of a project (or of one spider, when reached through {@link Spider#jobs()}): list,
 * iterate, count.
 *
 * <p>Listing pages through the job queue ({@code jobq/P/list?start=N&count=1000}) until the service
 * runs out, so "all finished jobs" really means all of them, not the last 1000 (python-scrapinghub
 * #135/#137).
 */
public final class Jobs {
  /** The job queue serves at most this many jobs per request. */
  public static final int PAGE_SIZE = 1000;

  /** The job queue accepts at most this many keys per cancel request; longer lists are split. */
  public static final int CANCEL_BATCH = 1000;

  /**
   * Keys per {@code jobsummary} request; longer lists are split. The keys travel in the URL, so
   * this keeps it to roughly 12 KB. {@code awaitJobs()} polls at most this many jobs at once, so
   * each of its polls stays one request.
   */
  public static final int SUMMARY_BATCH = 500;

  private final ScrapinghubClient client;
  private final long projectId;
  private final String spider; // null = every spider
  private final Long spiderId; // numeric id of spider when known

  Jobs(ScrapinghubClient client, long projectId, String spider) {
    this(client, projectId, spider, null);
  }

  Jobs(ScrapinghubClient client, long projectId, String spider, Long spiderId) {
    this.client = client;
    this.projectId = projectId;
    this.spider = spider;
    this.spiderId = spiderId;
  }

  /**
   * The spider these jobs are scoped to, or null for the whole project.
   *
   * @return the spider's name, or null
   */
  public String spider() {
    return spider;
  }

  // ---------------------------------------------------------------- scheduling

  /**
   * Schedules a job ({@code POST api/run.json}). The request's spider, or this scope's spider when
   * reached through {@link Spider#jobs()}.
   *
   * <p>Not idempotent, so retried only when the connection could not be opened (the request
   * certainly never reached the service); a 5xx or a timeout surfaces at once.
   *
   * @param request what to run
   * @return the scheduled job
   * @throws io.scrapinghubio.client.errors.DuplicateJobException if the same spider with the same
   *     arguments is already pending or running
   */
  public Job run(RunRequest request) {
    Objects.requireNonNull(request, "request");
    List<Map.Entry<String, String>> fields = request.formFields(projectId, spider);
    JsonNode answer = client.transport().dashForm("run.json", fields, CallOptions.NOT_IDEMPOTENT);
    String jobId = answer.path("jobid").asText(null);
    if (jobId == null) {
      throw new ScrapinghubException("run.json answered 'ok' without a jobid: " + Json.write(answer));
    }
    return new Job(client, JobKey.parse(jobId));
  }

  /**
   * Schedules the scoped spider (through {@link Spider#jobs()}) with defaults.
   *
   * @return the scheduled job
   */
  public Job run() {
    return run(RunRequest.create());
  }

  /**
   * Schedules {@code spiderName} with defaults.
   *
   * @param spiderName the spider's name
   * @return the scheduled job
   */
  public Job run(String spiderName) {
    return run(RunRequest.of(spiderName));
  }

  // ---------------------------------------------------------------- queue summaries

  /**
   * The three queues (pending, running, finished) with their most recent jobs
   * ({@code jobq/P[/S]/summary}).
   *
   * @return the queues
   */
  public List<JobQueueSummary> summary() {
    return summaryLines(null, null, List.of());
  }

  /**
   * One queue ({@code jobq/P[/S]/summary/<state>}).
   *
   * @param state {@code pending}, {@code running} or {@code finished}
   * @return the queue
   */
  public JobQueueSummary summary(String state) {
    return summary(state, null, List.of());
  }

  /**
   * One queue, its list limited to {@code count} jobs (null: the service default) with fields
   * {@code jobMeta} (empty: the default fields).
   *
   * @param state {@code pending}, {@code running} or {@code finished}
   * @param count the most jobs listed, or null
   * @param jobMeta fields of each job
   * @return the queue
   */
  public JobQueueSummary summary(String state, Integer count, List<String> jobMeta) {
    if (state == null || !List.of("pending", "running", "finished").contains(state)) {
      throw new IllegalArgumentException("summary state must be pending, running or finished, but was '" + state + "'");
    }
    List<JobQueueSummary> l = summaryLines(state, count, jobMeta);
    return l.isEmpty() ? new JobQueueSummary(Json.object().put("name", state).put("count", 0)) : l.get(0);
  }

  /**
   * Project-level jobs only: the summary of one spider, by name (resolves its id first).
   *
   * @param spiderName the spider's name
   * @return the queues
   */
  public List<JobQueueSummary> summaryOfSpider(String spiderName) {
    return forSpider(spiderName).summary();
  }

  private List<JobQueueSummary> summaryLines(String state, Integer count, List<String> jobMeta) {
    if (count != null && count < 0) {
      throw new IllegalArgumentException("count must be >= 0, but was " + count);
    }
    HttpUrl.Builder url = client.transport().storage("jobq", Long.toString(projectId));
    if (spider != null) {
      url.addPathSegment(Long.toString(spiderId()));
    }
    url.addPathSegment("summary");
    if (state != null) {
      url.addPathSegment(state);
    }
    if (count != null) {
      url.addQueryParameter("count", count.toString());
    }
    jobMeta.forEach(m -> url.addQueryParameter("jobmeta", m));
    List<JobQueueSummary> out = new ArrayList<>();
    for (JsonNode n : jsonLines(client.transport().get(url.build(), HttpTransport.JSON_LINES, CallOptions.IDEMPOTENT_JSON_LINES))) {
      out.add(new JobQueueSummary(n));
    }
    return out;
  }

  /**
   * The current summaries (state, close reason, counts...) of the given jobs of this project,
   * whatever the spider scope, in one request per {@value #SUMMARY_BATCH} keys
   * ({@code GET jobq/P/jobsummary?key=P/S/J&key=...}): what a caller waiting for many jobs polls,
   * instead of one request per job. Jobs the job queue does not know are absent from the answer.
   *
   * @param jobKeys job keys of this project
   * @return the summaries by job key, in the service's order; empty (and no request) for no keys
   * @throws IllegalArgumentException a key is malformed or belongs to another project
   */
  public Map<JobKey, JobSummary> summaries(List<String> jobKeys) {
    Objects.requireNonNull(jobKeys, "jobKeys");
    List<JobKey> keys = keysOfThisProject(jobKeys);
    Map<JobKey, JobSummary> out = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i += SUMMARY_BATCH) {
      HttpUrl.Builder url = client.transport().storage("jobq", Long.toString(projectId), "jobsummary");
      for (JobKey k : keys.subList(i, Math.min(keys.size(), i + SUMMARY_BATCH))) {
        url.addQueryParameter("key", k.toString());
      }
      HttpResult r = client.transport().get(url.build(), HttpTransport.JSON_LINES, CallOptions.IDEMPOTENT_JSON_LINES);
      for (JsonNode n : jsonLines(r)) {
        JobSummary s = new JobSummary(n);
        out.put(s.key(), s);
      }
    }
    return out;
  }

  /**
   * The last job of each spider ({@code spiders/P/lastjobsummary}), or of the scoped spider
   * ({@code spiders/P/S/lastjobsummary}), as the official client's {@code jobs.iter_last()}.
   *
   * @return the summaries
   */
  public List<JobSummary> iterLast() {
    HttpUrl.Builder url = client.transport().storage("spiders", Long.toString(projectId));
    if (spider != null) {
      url.addPathSegment(Long.toString(spiderId()));
    }
    url.addPathSegment("lastjobsummary");
    List<JobSummary> out = new ArrayList<>();
    for (JsonNode n : jsonLines(client.transport().get(url.build(), HttpTransport.JSON_LINES, CallOptions.IDEMPOTENT_JSON_LINES))) {
      out.add(new JobSummary(n));
    }
    return out;
  }

  /**
   * Project-level jobs only: the last job of one spider, by name (resolves its id first).
   *
   * @param spiderName the spider's name
   * @return the summaries
   */
  public List<JobSummary> iterLast(String spiderName) {
    return forSpider(spiderName).iterLast();
  }

  private Jobs forSpider(String spiderName) {
    if (spider != null && !spider.equals(spiderName)) {
      throw new IllegalArgumentException("these jobs belong to spider '" + spider + "', not '" + spiderName + "'");
    }
    return new Spiders(client, projectId).get(spiderName).jobs();
  }

  private long spiderId() {
    if (spiderId == null) {
      return new Spiders(client, projectId).get(spider).id();
    }
    return spiderId;
  }

  private static List<JsonNode> jsonLines(HttpResult r) {
    List<JsonNode> out = new ArrayList<>();
    for (String line : new String(r.body(), StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        out.add(Json.parse(line));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- tags, cancel

  /**
   * Adds and removes tags on every job of the scoped spider ({@code POST api/jobs/update.json}
   * with {@code spider}). Makes no call when both lists are empty.
   *
   * @param add tags to add
   * @param remove tags to remove
   * @return how many jobs the service updated
   */
  public long updateTags(List<String> add, List<String> remove) {
    if (spider == null) {
      throw new IllegalArgumentException("updating tags of all jobs needs a spider: use updateTags(spider, add, remove) "
          + "or spider.jobs().updateTags(add, remove)");
    }
    return updateTags(client, projectId, "spider", spider, add, remove);
  }

  /**
   * {@link #updateTags(List, List)} for the jobs of {@code spiderName}.
   *
   * @param spiderName the spider's name
   * @param add tags to add
   * @param remove tags to remove
   * @return how many jobs the service updated
   */
  public long updateTags(String spiderName, List<String> add, List<String> remove) {
    if (spiderName == null || spiderName.isBlank()) {
      throw new IllegalArgumentException("spider name must be non-empty, but was '" + spiderName + "'");
    }
    if (spider != null && !spider.equals(spiderName)) {
      throw new IllegalArgumentException("these jobs belong to spider '" + spider + "', not '" + spiderName + "'");
    }
    return updateTags(client, projectId, "spider", spiderName, add, remove);
  }

  static long updateTags(ScrapinghubClient client, long projectId, String scopeField, String scope,
      List<String> add, List<String> remove) {
    List<String> a = Job.tags(add);
    List<String> r = Job.tags(remove);
    if (a.isEmpty() && r.isEmpty()) {
      return 0;
    }
    List<Map.Entry<String, String>> f = new ArrayList<>();
    f.add(Map.entry("project", Long.toString(projectId)));
    f.add(Map.entry(scopeField, scope));
    a.forEach(t -> f.add(Map.entry("add_tag", t)));
    r.forEach(t -> f.add(Map.entry("remove_tag", t)));
    // Adding or removing a tag twice leaves the same tags: safe to retry.
    return client.transport().dashForm("jobs/update.json", f, CallOptions.IDEMPOTENT).path("count").asLong(0);
  }

  /**
   * Cancels the given jobs of this project ({@code POST jobq/P/cancel}, body
   * {@code [{"key":"P/S/J"},...]}), in batches of {@value #CANCEL_BATCH}.
   *
   * @param jobKeys job keys of this project
   * @return how many jobs the service cancelled (keys of unknown or already finished jobs do not count)
   */
  public long cancel(List<String> jobKeys) {
    if (jobKeys == null || jobKeys.isEmpty()) {
      throw new IllegalArgumentException("cancel needs at least one job key");
    }
    List<JobKey> keys = keysOfThisProject(jobKeys);
    long cancelled = 0;
    for (int i = 0; i < keys.size(); i += CANCEL_BATCH) {
      com.fasterxml.jackson.databind.node.ArrayNode body = Json.MAPPER.createArrayNode();
      for (JobKey k : keys.subList(i, Math.min(keys.size(), i + CANCEL_BATCH))) {
        body.addObject().put("key", k.toString());
      }
      HttpResult r = client.transport().post(client.transport().storage("jobq", Long.toString(projectId), "cancel").build(),
          Json.write(body).getBytes(StandardCharsets.UTF_8), null, CallOptions.IDEMPOTENT);
      cancelled += Json.parse(r.body()).path("count").asLong(0);
    }
    return cancelled;
  }

  private List<JobKey> keysOfThisProject(List<String> jobKeys) {
    List<JobKey> keys = new ArrayList<>(jobKeys.size());
    for (String k : jobKeys) {
      JobKey key = JobKey.parse(k);
      if (key.project() != projectId) {
        throw new IllegalArgumentException("job " + k + " does not belong to project " + projectId);
      }
      keys.add(key);
    }
    return keys;
  }

  /**
   * The project of these jobs.
   *
   * @return the project's id
   */
  public long projectId() {
    return projectId;
  }

  private JobQuery scoped(JobQuery q) {
    return spider == null ? q : q.spider(spider);
  }

  /**
   * Lazily pages through every job matching {@code query}, newest first.
   *
   * @param query the selection
   * @return the summaries
   */
  public Iterable<JobSummary> iter(JobQuery query) {
    JobQuery q = scoped(query);
    return () -> new JobPager(q);
  }

  /**
   * Finished jobs.
   *
   * @return the summaries
   */
  public Iterable<JobSummary> iter() {
    return iter(JobQuery.all());
  }

  /**
   * {@link #iter(JobQuery)} into a list: only for small selections.
   *
   * @param query the selection
   * @return the summaries
   */
  public List<JobSummary> list(JobQuery query) {
    List<JobSummary> out = new ArrayList<>();
    iter(query).forEach(out::add);
    return out;
  }

  /**
   * Number of jobs matching {@code query} (finished only unless a state is given).
   *
   * @param query the selection
   * @return the count
   */
  public long count(JobQuery query) {
    HttpUrl url = scoped(query).applyTo(client.transport().storage("jobq", Long.toString(projectId), "count")).build();
    HttpResult r = client.transport().get(url, "application/json", CallOptions.IDEMPOTENT);
    return Json.parse(r.body()).asLong();
  }

  /**
   * Number of finished jobs.
   *
   * @return the count
   */
  public long count() {
    return count(JobQuery.all());
  }

  /**
   * A handle on a job of this project; no request is made.
   *
   * @param jobKey the job's key
   * @return the job
   */
  public Job get(String jobKey) {
    JobKey key = JobKey.parse(jobKey);
    if (key.project() != projectId) {
      throw new IllegalArgumentException("job " + jobKey + " does not belong to project " + projectId);
    }
    return new Job(client, key);
  }

  private final class JobPager implements Iterator<JobSummary> {
    private final JobQuery query;
    private final List<JobSummary> page = new ArrayList<>();
    private int pos;
    private long offset;
    private long delivered;
    private boolean lastPage;

    JobPager(JobQuery query) {
      this.query = query;
    }

    @Override
    public boolean hasNext() {
      if (delivered >= query.limit()) {
        return false;
      }
      if (pos < page.size()) {
        return true;
      }
      if (lastPage) {
        return false;
      }
      fetch();
      return pos < page.size();
    }

    @Override
    public JobSummary next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      delivered++;
      return page.get(pos++);
    }

    private void fetch() {
      int count = (int) Math.min(PAGE_SIZE, query.limit() - delivered);
      HttpUrl.Builder url = query.applyTo(client.transport().storage("jobq", Long.toString(projectId), "list"));
      if (offset > 0) {
        url.addQueryParameter("start", Long.toString(offset));
      }
      url.addQueryParameter("count", Integer.toString(count));
      HttpResult r = client.transport().get(url.build(), HttpTransport.JSON_LINES, CallOptions.IDEMPOTENT_JSON_LINES);
      page.clear();
      pos = 0;
      for (String line : new String(r.body(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          JsonNode n = Json.parse(line);
          page.add(new JobSummary(n));
        }
      }
      offset += page.size();
      lastPage = page.size() < count;
    }
  }
}
