package io.scrapinghubio.client;

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

  public long id() {
    return id;
  }

  public String name() {
    return name;
  }

  public long projectId() {
    return projectId;
  }

  /** The jobs of this spider only. */
  public Jobs jobs() {
    return new Jobs(client, projectId, name);
  }

  @Override
  public String toString() {
    return "Spider(" + projectId + "/" + id + " " + name + ")";
  }
}
