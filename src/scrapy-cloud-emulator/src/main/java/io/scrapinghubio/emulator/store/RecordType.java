package io.scrapinghubio.emulator.store;

import java.util.Locale;

/**
 * The four per-job record streams of the storage API. They share paging and meta parameters but
 * differ in small ways that the recordings show and that clients notice.
 */
public enum RecordType {
  /** Scraped items: {@code _key} is appended as the last field. */
  ITEMS(true, true, false),
  /** Log lines {@code {time, level, message}}: {@code _key} comes first; msgpack omits it. */
  LOGS(true, false, true),
  /** Request records: {@code _key} first, never served as msgpack, null fields dropped. */
  REQUESTS(false, false, true),
  /** Stats samples (JSON arrays): no {@code _key} at all. */
  SAMPLES(true, false, false);

  private final boolean msgpack;
  private final boolean keyInMsgpack;
  private final boolean keyFirst;

  RecordType(boolean msgpack, boolean keyInMsgpack, boolean keyFirst) {
    this.msgpack = msgpack;
    this.keyInMsgpack = keyInMsgpack;
    this.keyFirst = keyFirst;
  }

  /**
   * URL path segment, e.g. {@code items}.
   *
   * @return the segment
   */
  public String path() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Whether the service answers {@code Accept: application/x-msgpack} with msgpack.
   *
   * @return true when msgpack is served
   */
  public boolean msgpackAllowed() {
    return msgpack;
  }

  /**
   * Whether {@code meta=_key} survives in msgpack responses (recordings: items yes, logs no).
   *
   * @return true when msgpack answers keep {@code _key}
   */
  public boolean keyInMsgpack() {
    return keyInMsgpack;
  }

  /**
   * Whether {@code _key} is the first field (logs, requests) rather than the last (items).
   *
   * @return true when {@code _key} comes first
   */
  public boolean keyFirst() {
    return keyFirst;
  }

  /**
   * Whether records carry meta fields ({@code _key}, {@code _ts}); samples are bare arrays.
   *
   * @return true when records carry meta fields
   */
  public boolean hasMeta() {
    return this != SAMPLES;
  }

  /**
   * The type of a URL path segment.
   *
   * @param segment e.g. {@code items}
   * @return the type, or null when no type has it
   */
  public static RecordType fromPath(String segment) {
    for (RecordType t : values()) {
      if (t.path().equals(segment)) {
        return t;
      }
    }
    return null;
  }
}
