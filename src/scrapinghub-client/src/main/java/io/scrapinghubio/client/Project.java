package io.scrapinghubio.client;

import io.scrapinghubio.client.activity.Activity;
import io.scrapinghubio.client.collections.Collections;
import io.scrapinghubio.client.frontier.Frontiers;
import io.scrapinghubio.client.http.CallOptions;
import io.scrapinghubio.client.settings.Settings;

/**
 * One Scrapy Cloud project and its resources, as {@code client.get_project(id)} in the official
 * client. Creating it makes no request.
 */
public final class Project {
  private final ScrapinghubClient client;
  private final long id;
  /** One per Project object, so {@code newcount} accumulates across calls (as in the official client). */
  private volatile Frontiers frontiers;

  Project(ScrapinghubClient client, long id) {
    if (id <= 0) {
      throw new IllegalArgumentException("project id must be a positive integer, but was " + id);
    }
    this.client = client;
    this.id = id;
  }

  /**
   * The project's id.
   *
   * @return the id
   */
  public long id() {
    return id;
  }

  /**
   * The client this project was reached through.
   *
   * @return the client
   */
  public ScrapinghubClient client() {
    return client;
  }

  /**
   * The project's jobs.
   *
   * @return the jobs
   */
  public Jobs jobs() {
    return new Jobs(client, id, null);
  }

  /**
   * The project's spiders.
   *
   * @return the spiders
   */
  public Spiders spiders() {
    return new Spiders(client, id);
  }

  /**
   * The project's activity events.
   *
   * @return the activity
   */
  public Activity activity() {
    return new Activity(client.transport(), id);
  }

  /**
   * The project's collections.
   *
   * @return the collections
   */
  public Collections collections() {
    return new Collections(client.transport(), id);
  }

  /**
   * The project's frontiers (HCF). The same instance each time: it owns the slot writers.
   *
   * @return the frontiers
   */
  public Frontiers frontiers() {
    Frontiers f = frontiers;
    if (f == null) {
      synchronized (this) {
        if (frontiers == null) {
          frontiers = new Frontiers(client.transport(), id);
        }
        f = frontiers;
      }
    }
    return f;
  }

  /**
   * The project's settings.
   *
   * @return the settings
   */
  public Settings settings() {
    return new Settings(client.transport(), id);
  }

  /**
   * This project's job counts ({@code projects/P/jobsummary}).
   *
   * @return the counts
   */
  public ProjectSummary jobsummary() {
    byte[] body = client.transport()
        .get(client.transport().storage("projects", Long.toString(id), "jobsummary").build(), "application/json", CallOptions.IDEMPOTENT)
        .body();
    return ProjectSummary.of(io.scrapinghubio.client.json.Json.parse(body));
  }

  @Override
  public String toString() {
    return "Project(" + id + ")";
  }
}
