package io.scrapinghubio.emulator.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The spiders of one project, by name and by numeric id. A spider gets an id the first time
 * anything names it (JobQ push, {@code ids/P/spider/N?create=1}); only a deployed one is listed by
 * the dash and scheduled by {@code run.json}.
 *
 * <p>Its own lock: spider look-ups never wait for the job queue.
 */
public final class ProjectSpiders {
  private final LongSupplier clock;
  private final Map<String, SpiderInfo> byName = new LinkedHashMap<>();
  private final Map<Integer, SpiderInfo> byId = new HashMap<>();

  ProjectSpiders(LongSupplier clock) {
    this.clock = clock;
  }

  /**
   * The spider with this name, given the next numeric id if missing and {@code create} (as JobQ
   * push and {@code ids/P/spider/N?create=1} do); such a spider is not deployed.
   *
   * @param spiderName the spider's name
   * @param create whether to create it when missing
   * @return the spider, or empty
   */
  public synchronized Optional<SpiderInfo> named(String spiderName, boolean create) {
    SpiderInfo s = byName.get(spiderName);
    if (s == null && create) {
      int sid = byId.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
      s = new SpiderInfo(sid, spiderName, clock.getAsLong());
      byName.put(spiderName, s);
      byId.put(sid, s);
    }
    return Optional.ofNullable(s);
  }

  /**
   * Deploys a spider (creating it if needed): the dash knows it from now on.
   *
   * @param spiderName the spider's name
   * @return the spider
   */
  public synchronized SpiderInfo deploy(String spiderName) {
    SpiderInfo s = named(spiderName, true).orElseThrow();
    s.markDeployed();
    return s;
  }

  /**
   * The deployed spider with this name, if any (what {@code run.json} may schedule).
   *
   * @param spiderName the spider's name
   * @return the spider, or empty when not deployed
   */
  public synchronized Optional<SpiderInfo> deployed(String spiderName) {
    return Optional.ofNullable(byName.get(spiderName)).filter(SpiderInfo::deployed);
  }

  /**
   * Deployed spiders, in creation order ({@code spiders/list.json}).
   *
   * @return the spiders
   */
  public synchronized List<SpiderInfo> deployed() {
    return byName.values().stream().filter(SpiderInfo::deployed).toList();
  }

  /**
   * The spider with this numeric id.
   *
   * @param sid the spider's id
   * @return the spider, or empty
   */
  public synchronized Optional<SpiderInfo> byId(int sid) {
    return Optional.ofNullable(byId.get(sid));
  }

  /**
   * Every spider, deployed or only given an id by JobQ.
   *
   * @return the spiders, a copy
   */
  public synchronized List<SpiderInfo> all() {
    return new ArrayList<>(byName.values());
  }

  /**
   * Spider name for a numeric id; unknown ids (records written to unknown jobs) get a placeholder.
   *
   * @param sid the spider's id
   * @return the name
   */
  public synchronized String nameOf(int sid) {
    SpiderInfo s = byId.get(sid);
    return s == null ? "spider-" + sid : s.name();
  }
}
