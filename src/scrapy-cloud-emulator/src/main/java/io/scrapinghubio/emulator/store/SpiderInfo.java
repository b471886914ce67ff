package io.scrapinghubio.emulator.store;

import java.util.ArrayList;
import java.util.List;

/**
 * A spider of a project: numeric id (the {@code S} of job keys), name and dash-side tags.
 *
 * <p>A spider can have an id without being deployed: JobQ {@code push} and {@code ids/P/spider/N?create=1}
 * hand out ids for any name (recorded: pushing {@code hs-test-spiderskip} got id 2), while the
 * dash ({@code run.json}, {@code spiders/list.json}, the v2 spider API) knows only spiders that
 * were deployed, here: configured through demo data, the builder or the test API.
 */
public final class SpiderInfo {
  private final int id;
  private final String name;
  private final List<String> tags = new ArrayList<>();
  private final long createdAt;
  private volatile long modifiedAt;
  private volatile boolean deployed;

  SpiderInfo(int id, String name, long createdAt) {
    this.id = id;
    this.name = name;
    this.createdAt = createdAt;
    this.modifiedAt = createdAt;
  }

  public int id() {
    return id;
  }

  /** Whether the spider was deployed (the dash knows it), not just given an id by JobQ. */
  public boolean deployed() {
    return deployed;
  }

  void markDeployed() {
    deployed = true;
  }

  public String name() {
    return name;
  }

  public synchronized List<String> tags() {
    return List.copyOf(tags);
  }

  /** Applies a dash {@code PATCH .../tags} change; added tags keep their order, no duplicates. */
  public synchronized void updateTags(List<String> add, List<String> remove, long now) {
    for (String t : add) {
      if (!tags.contains(t)) {
        tags.add(t);
      }
    }
    tags.removeAll(remove);
    modifiedAt = now;
  }

  public long createdAt() {
    return createdAt;
  }

  public long modifiedAt() {
    return modifiedAt;
  }
}
