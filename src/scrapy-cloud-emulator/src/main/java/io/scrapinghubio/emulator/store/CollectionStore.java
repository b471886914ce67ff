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

  /**
   * The collection types the service knows: store, cached store, versioned store, versioned cached
   * store.
   */
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
   *
   * @param n the most records per scan answer, 0 for no cap
   */
  public void scanPageCap(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("scan page cap must be >= 0, but was " + n);
    }
    scanPageCap = n;
  }

  /**
   * The cap {@link #scanPageCap(int)} set.
   *
   * @return the most records per scan answer, 0 for none
   */
  public int scanPageCap() {
    return scanPageCap;
  }

  /**
   * Writes a record, stamped with the current time; a record with the same key is replaced.
   *
   * @param type the store type, one of {@link #TYPES}
   * @param name the collection's name
   * @param key the record's {@code _key}
   * @param value the record without {@code _key}
   */
  public synchronized void put(String type, String name, String key, Map<String, Object> value) {
    collections.computeIfAbsent(type + "/" + name, k -> new TreeMap<>())
        .put(key, new Entry(new LinkedHashMap<>(value), clock.getAsLong()));
  }

  /**
   * Reads a record.
   *
   * @param type the store type
   * @param name the collection's name
   * @param key the record's {@code _key}
   * @return the entry, or null when there is none
   */
  public synchronized Entry get(String type, String name, String key) {
    TreeMap<String, Entry> c = collections.get(type + "/" + name);
    return c == null ? null : c.get(key);
  }

  /**
   * Deletes records; keys that are not there are ignored.
   *
   * @param type the store type
   * @param name the collection's name
   * @param keys the keys to delete
   */
  public synchronized void delete(String type, String name, List<String> keys) {
    TreeMap<String, Entry> c = collections.get(type + "/" + name);
    if (c != null) {
      keys.forEach(c::remove);
    }
  }

  /**
   * Drops every collection called {@code name}, whatever its type ({@code delete?name=}).
   *
   * @param name the collections' name
   */
  public synchronized void truncate(String name) {
    collections.keySet().removeIf(k -> k.substring(k.indexOf('/') + 1).equals(name));
  }

  /**
   * A snapshot of one collection's entries in key order (empty if missing).
   *
   * @param type the store type
   * @param name the collection's name
   * @return the entries by key, a copy
   */
  public synchronized NavigableMap<String, Entry> snapshot(String type, String name) {
    TreeMap<String, Entry> c = collections.get(type + "/" + name);
    return c == null ? new TreeMap<>() : new TreeMap<>(c);
  }

  /**
   * {@code [type, name]} of every collection ever written.
   *
   * @return the pairs, in name order
   */
  public synchronized List<String[]> list() {
    List<String[]> out = new ArrayList<>();
    for (String k : collections.keySet()) {
      int i = k.indexOf('/');
      out.add(new String[] {k.substring(0, i), k.substring(i + 1)});
    }
    return out;
  }
}
