package io.scrapinghubio.client.read;

/** The four per-job record logs of the storage API. */
public enum JobDataType {
  /** The job's items. */
  ITEMS("items", true),
  /** The job's log lines. */
  LOGS("logs", true),
  /** The job's request records. */
  REQUESTS("requests", true),
  /** Sample rows are JSON arrays and carry no {@code _key}: indices come from their position. */
  SAMPLES("samples", false);

  private final String path;
  private final boolean hasKeys;

  JobDataType(String path, boolean hasKeys) {
    this.path = path;
    this.hasKeys = hasKeys;
  }

  /**
   * First path segment on the storage host.
   *
   * @return the segment
   */
  public String path() {
    return path;
  }

  /**
   * Whether the service can add {@code _key} ({@code meta=_key}) to each record.
   *
   * @return true when records carry keys
   */
  public boolean hasKeys() {
    return hasKeys;
  }
}
