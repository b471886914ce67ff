package io.scrapinghubio.emulator.store;

import java.util.LinkedHashMap;
import java.util.Map;

/** A project's settings ({@code projects/P/settings}): a JSON object kept in insertion order. */
public final class ProjectSettings {
  private final Map<String, Object> settings = new LinkedHashMap<>();

  ProjectSettings() {}

  /**
   * Every setting.
   *
   * @return a copy
   */
  public synchronized Map<String, Object> all() {
    return new LinkedHashMap<>(settings);
  }

  /**
   * Replaces every setting.
   *
   * @param s the new settings
   */
  public synchronized void replaceAll(Map<String, Object> s) {
    settings.clear();
    settings.putAll(s);
  }

  /**
   * Sets one setting.
   *
   * @param k the setting's name
   * @param v its value
   */
  public synchronized void put(String k, Object v) {
    settings.put(k, v);
  }

  /**
   * Removes one setting.
   *
   * @param k the setting's name
   */
  public synchronized void remove(String k) {
    settings.remove(k);
  }
}
