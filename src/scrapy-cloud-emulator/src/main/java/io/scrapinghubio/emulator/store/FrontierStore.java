package io.scrapinghubio.emulator.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Hub Crawl Frontier state of a project: frontiers → slots → fingerprints and queued batches.
 *
 * <p>Semantics follow the recordings: a fingerprint is queued only the first time it is seen
 * ({@code newcount}); queued requests are grouped in batches of at most 100, one batch list per
 * priority, lower priority value served first; batch ids are opaque hex strings whose first two
 * characters are the priority. A frontier exists while it has slots.
 */
public final class FrontierStore {

  /** Requests per batch, as observed (300 fingerprints gave three batches of 100). */
  public static final int BATCH_SIZE = 100;

  /** A queued batch: id and {@code [fp, qdata]} pairs. */
  public static final class Batch {
    final String id;
    final int priority;
    final long seq;
    final List<List<Object>> requests = new ArrayList<>();

    Batch(String id, int priority, long seq) {
      this.id = id;
      this.priority = priority;
      this.seq = seq;
    }

    /**
     * The batch's id, which {@code deleted} requests name.
     *
     * @return the id
     */
    public String id() {
      return id;
    }

    /**
     * The batch's requests, each {@code [fp, qdata]}.
     *
     * @return the requests
     */
    public List<List<Object>> requests() {
      return requests;
    }
  }

  private static final class Slot {
    final TreeMap<String, Object> fingerprints = new TreeMap<>();
    final List<Batch> batches = new ArrayList<>();
  }

  private final Map<String, Map<String, Slot>> frontiers = new LinkedHashMap<>();
  private long batchSeq = 0x15f77dd5c78L; // ids look like the recorded ones

  /**
   * Adds requests to a slot (creating frontier and slot).
   *
   * @param frontier the frontier's name
   * @param slotName the slot's name
   * @param requests maps with {@code fp} and optional {@code qdata}, {@code fdata}, {@code p}
   * @return how many fingerprints were new
   */
  public synchronized int add(String frontier, String slotName, List<Map<String, Object>> requests) {
    Slot slot = frontiers.computeIfAbsent(frontier, k -> new LinkedHashMap<>())
        .computeIfAbsent(slotName, k -> new Slot());
    int newCount = 0;
    for (Map<String, Object> r : requests) {
      Object fpv = r.get("fp");
      if (fpv == null) {
        continue;
      }
      String fp = String.valueOf(fpv);
      if (slot.fingerprints.containsKey(fp)) {
        continue;
      }
      slot.fingerprints.put(fp, r.get("fdata"));
      newCount++;
      int p = r.get("p") instanceof Number ? ((Number) r.get("p")).intValue() : 0;
      Batch open = null;
      for (Batch b : slot.batches) {
        if (b.priority == p && b.requests.size() < BATCH_SIZE) {
          open = b;
        }
      }
      if (open == null) {
        long seq = ++batchSeq;
        open = new Batch(String.format("%02x%016x", p & 0xff, seq), p, seq);
        slot.batches.add(open);
      }
      List<Object> pair = new ArrayList<>(2);
      pair.add(fp);
      pair.add(r.get("qdata"));
      open.requests.add(pair);
    }
    return newCount;
  }

  /**
   * Batches to hand out: lowest priority value first, then oldest, until at least
   * {@code mincount} requests are collected or {@code maxBatches} batches are taken.
   *
   * @param frontier the frontier's name
   * @param slotName the slot's name
   * @param mincount the fewest requests to collect
   * @param maxBatches the most batches to take
   * @return the batches, not yet deleted
   */
  public synchronized List<Batch> read(String frontier, String slotName, int mincount, int maxBatches) {
    Slot slot = slot(frontier, slotName);
    if (slot == null) {
      return List.of();
    }
    List<Batch> sorted = new ArrayList<>(slot.batches);
    sorted.sort(Comparator.comparingInt((Batch b) -> b.priority).thenComparingLong(b -> b.seq));
    List<Batch> out = new ArrayList<>();
    int total = 0;
    for (Batch b : sorted) {
      if (out.size() >= maxBatches || total >= mincount) {
        break;
      }
      out.add(b);
      total += b.requests.size();
    }
    return out;
  }

  /**
   * Deletes batches of a slot (they were processed); unknown ids are ignored.
   *
   * @param frontier the frontier's name
   * @param slotName the slot's name
   * @param ids the batches' ids
   */
  public synchronized void deleteBatches(String frontier, String slotName, List<String> ids) {
    Slot slot = slot(frontier, slotName);
    if (slot != null) {
      slot.batches.removeIf(b -> ids.contains(b.id));
    }
  }

  /**
   * Fingerprints of a slot in lexicographic order.
   *
   * @param frontier the frontier's name
   * @param slotName the slot's name
   * @return the fingerprints
   */
  public synchronized List<String> fingerprints(String frontier, String slotName) {
    Slot slot = slot(frontier, slotName);
    return slot == null ? List.of() : new ArrayList<>(slot.fingerprints.keySet());
  }

  /**
   * Deletes a slot with its queue and fingerprints, and its frontier when it was the last slot.
   *
   * @param frontier the frontier's name
   * @param slotName the slot's name
   */
  public synchronized void deleteSlot(String frontier, String slotName) {
    Map<String, Slot> slots = frontiers.get(frontier);
    if (slots != null) {
      slots.remove(slotName);
      if (slots.isEmpty()) {
        frontiers.remove(frontier);
      }
    }
  }

  /**
   * The frontiers that have at least one slot.
   *
   * @return the names, a copy
   */
  public synchronized List<String> frontierNames() {
    return new ArrayList<>(frontiers.keySet());
  }

  /**
   * The slots of a frontier.
   *
   * @param frontier the frontier's name
   * @return the names, a copy; empty when there is no such frontier
   */
  public synchronized List<String> slotNames(String frontier) {
    Map<String, Slot> slots = frontiers.get(frontier);
    return slots == null ? List.of() : new ArrayList<>(slots.keySet());
  }

  /**
   * Number of queued (not yet deleted) requests in a slot.
   *
   * @param frontier the frontier's name
   * @param slotName the slot's name
   * @return the count
   */
  public synchronized int queued(String frontier, String slotName) {
    Slot slot = slot(frontier, slotName);
    return slot == null ? 0 : slot.batches.stream().mapToInt(b -> b.requests.size()).sum();
  }

  private Slot slot(String frontier, String slotName) {
    Map<String, Slot> slots = frontiers.get(frontier);
    return slots == null ? null : slots.get(slotName);
  }
}
