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

  /**
   * The spider's numeric id in its project.
   *
   * @return the id
   */
  public int id() {
    return id;
  }

  /**
   * Whether the spider was deployed (the dash knows it), not just given an id by JobQ.
   *
   * @return true once deployed
   */
  public boolean deployed() {
    return deployed;
  }

  void markDeployed() {
    deployed = true;
  }

  /**
   * The spider's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The spider's tags, as the dash lists them.
   *
   * @return a copy
   */
  public synchronized List<String> tags() {
    return List.copyOf(tags);
  }

  /**
   * Applies a dash {@code PATCH .../tags} change; added tags keep their order, no duplicates.
   *
   * @param add tags to add
   * @param remove tags to remove
   * @param now the change's time, epoch ms
   */
  public synchronized void updateTags(List<String> add, List<String> remove, long now) {
    TagEdits.apply(tags, add, remove);
    modifiedAt = now;
  }

  /**
   * When the spider was created.
   *
   * @return epoch milliseconds
   */
  public long createdAt() {
    return createdAt;
  }

  /**
   * When the spider's tags last changed.
   *
   * @return epoch milliseconds
   */
  public long modifiedAt() {
    return modifiedAt;
  }
}
