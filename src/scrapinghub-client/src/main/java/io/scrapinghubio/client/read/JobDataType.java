package io.scrapinghubio.client.read;

/** The four per-job record logs of the storage API. */
public enum JobDataType {
  ITEMS("items", true),
  LOGS("logs", true),
  REQUESTS("requests", true),
  /** Sample rows are JSON arrays and carry no {@code _key}: indices come from their position. */
  SAMPLES("samples", false);

  private final String path;
  private final boolean hasKeys;

  JobDataType(String path, boolean hasKeys) {
    this.path = path;
    this.hasKeys = hasKeys;
  }

  /** First path segment on the storage host. */
  public String path() {
    return path;
  }

  /** Whether the service can add {@code _key} ({@code meta=_key}) to each record. */
  public boolean hasKeys() {
    return hasKeys;
  }
}
