package io.scrapinghubio.beam.read;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.json.Json;
import io.scrapinghubio.client.read.FilterOperators;

/** Validation of storage-API filters, done at pipeline construction. */
final class ReadFilters {
  private ReadFilters() {}

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
    FilterOperators.check(n.get(1).asText(), filterJson);
  }
}
