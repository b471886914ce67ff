package io.scrapinghubio.client.core;

/**
 * Wire format for reading items, logs, samples and single collection records. JSON lines is the
 * default; msgpack is what python-scrapinghub asks for when the msgpack module is installed.
 * Either way the client hands out the same compact JSON. Requests, stats, scans and everything
 * else are always JSON (the service serves them only as JSON).
 */
public enum ReadFormat {
  /** JSON lines, the default. */
  JSON_LINES,
  /** Needs {@code org.msgpack:jackson-dataformat-msgpack} on the classpath (an optional dependency). */
  MSGPACK
}
