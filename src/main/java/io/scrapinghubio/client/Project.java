package io.scrapinghubio.client;

/**
 * One Scrapy Cloud project and its resources, as {@code client.get_project(id)} in the official
 * client. Creating it makes no request.
 */
public final class Project {
  private final ScrapinghubClient client;
  private final long id;

  Project(ScrapinghubClient client, long id) {
    if (id <= 0) {
      throw new IllegalArgumentException("project id must be a positive integer, but was " + id);
    }
    this.client = client;
    this.id = id;
  }

  public long id() {
    return id;
  }

  public ScrapinghubClient client() {
    return client;
  }

  public Jobs jobs() {
    return new Jobs(client, id, null);
  }

  public Spiders spiders() {
    return new Spiders(client, id);
  }

  @Override
  public String toString() {
    return "Project(" + id + ")";
  }
}
