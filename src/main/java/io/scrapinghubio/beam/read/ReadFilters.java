package io.scrapinghubio.beam.read;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.json.Json;
import java.util.Locale;
import java.util.Map;

/** Validation of storage-API filters and log level names, done at pipeline construction. */
final class ReadFilters {
  /** Python logging levels, as the service stores them. */
  static final Map<String, Integer> LOG_LEVELS = Map.of(
      "DEBUG", 10, "INFO", 20, "WARNING", 30, "WARN", 30, "ERROR", 40, "CRITICAL", 50);

  private ReadFilters() {}

  static int logLevel(String name) {
    Integer n = name == null ? null : LOG_LEVELS.get(name.toUpperCase(Locale.ROOT));
    if (n == null) {
      throw new IllegalArgumentException("unknown log level '" + name + "': expected DEBUG, INFO, WARNING, ERROR or CRITICAL");
    }
    return n;
  }

  /** A filter is a JSON array {@code [field, operator, [values...]]}. */
  static void check(String filterJson) {
    JsonNode n;
    try {
      n = filterJson == null ? null : Json.parse(filterJson);
    } catch (RuntimeException e) {
      n = null;
    }
    if (n == null || !n.isArray() || n.size() != 3 || !n.get(0).isTextual() || !n.get(1).isTextual() || !n.get(2).isArray()) {
      throw new IllegalArgumentException("bad filter '" + filterJson
          + "': expected a JSON triple [field, operator, [values]], e.g. [\"level\", \">=\", [40]]");
    }
  }
}
