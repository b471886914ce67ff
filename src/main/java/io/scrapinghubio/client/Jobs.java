package io.scrapinghubio.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.http.CallOptions;
import io.scrapinghubio.client.http.HttpResult;
import io.scrapinghubio.client.http.HttpTransport;
import io.scrapinghubio.client.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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

  private final ScrapinghubClient client;
  private final long projectId;
  private final String spider; // null = every spider

  Jobs(ScrapinghubClient client, long projectId, String spider) {
    this.client = client;
    this.projectId = projectId;
    this.spider = spider;
  }

  public long projectId() {
    return projectId;
  }

  private JobQuery scoped(JobQuery q) {
    return spider == null ? q : q.spider(spider);
  }

  /** Lazily pages through every job matching {@code query}, newest first. */
  public Iterable<JobSummary> iter(JobQuery query) {
    JobQuery q = scoped(query);
    return () -> new JobPager(q);
  }

  /** Finished jobs. */
  public Iterable<JobSummary> iter() {
    return iter(JobQuery.all());
  }

  public List<JobSummary> list(JobQuery query) {
    List<JobSummary> out = new ArrayList<>();
    iter(query).forEach(out::add);
    return out;
  }

  /** Number of jobs matching {@code query} (finished only unless a state is given). */
  public long count(JobQuery query) {
    HttpUrl url = scoped(query).applyTo(client.transport().storage("jobq", Long.toString(projectId), "count")).build();
    HttpResult r = client.transport().get(url, "application/json", CallOptions.IDEMPOTENT);
    return Json.parse(r.body()).asLong();
  }

  public long count() {
    return count(JobQuery.all());
  }

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
