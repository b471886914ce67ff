package io.scrapinghubio.emulator.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Key-value collections of a project ({@code collections/P/<type>/<name>}). Types {@code s},
 * {@code cs}, {@code vs}, {@code vcs} behave alike here: the emulator keeps the latest value and
 * never expires entries. Keys are ordered lexicographically, as scans return them.
 */
public final class CollectionStore {

  public static final Set<String> TYPES = Set.of("s", "cs", "vs", "vcs");

  /** A stored value (without {@code _key}) and its write time ({@code meta=_ts}). */
  public record Entry(Map<String, Object> value, long ts) {}

  private final LongSupplier clock;
  /** Most records a scan answers with, whatever {@code count} asked: 0 = no cap. */
  private volatile int scanPageCap;
  /** "type/name" → key → entry, in creation order of collections. */
  private final Map<String, TreeMap<String, Entry>> collections = new LinkedHashMap<>();

  CollectionStore(LongSupplier clock) {
    this.clock = clock;
  }

  /**
   * Answer every scan with at most {@code n} records (0 = as many as asked), as the real service
   * sometimes does (python-hubstorage #34): lets tests prove a scanner does not take a short page
   * for the end.
   */
  public void scanPageCap(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("scan page cap must be >= 0, but was " + n);
    }
    scanPageCap = n;
  }

  public int scanPageCap() {
    return scanPageCap;
  }

  public synchronized void put(String type, String name, String key, Map<String, Object> value) {
    collections.computeIfAbsent(type + "/" + name, k -> new TreeMap<>())
        .put(key, new Entry(new LinkedHashMap<>(value), clock.getAsLong()));
  }

  public synchronized Entry get(String type, String name, String key) {
    TreeMap<String, Entry> c = collections.get(type + "/" + name);
    return c == null ? null : c.get(key);
  }

  public synchronized void delete(String type, String name, List<String> keys) {
    TreeMap<String, Entry> c = collections.get(type + "/" + name);
    if (c != null) {
      keys.forEach(c::remove);
    }
  }

  /** Drops every collection called {@code name}, whatever its type ({@code delete?name=}). */
  public synchronized void truncate(String name) {
    collections.keySet().removeIf(k -> k.substring(k.indexOf('/') + 1).equals(name));
  }

  /** A snapshot of one collection's entries in key order (empty if missing). */
  public synchronized NavigableMap<String, Entry> snapshot(String type, String name) {
    TreeMap<String, Entry> c = collections.get(type + "/" + name);
    return c == null ? new TreeMap<>() : new TreeMap<>(c);
  }

  /** {@code [type, name]} of every collection ever written. */
  public synchronized List<String[]> list() {
    List<String[]> out = new ArrayList<>();
    for (String k : collections.keySet()) {
      int i = k.indexOf('/');
      out.add(new String[] {k.substring(0, i), k.substring(i + 1)});
    }
    return out;
  }
}
