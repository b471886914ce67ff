package io.scrapinghubio.emulator.store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code GET <type>/P/S/J/stats} reports.
 *
 * @param counts per field (items, requests) or per level (logs)
 * @param inputBytes {@code totals.input_bytes}
 * @param inputValues {@code totals.input_values}, the number of stored records
 */
public record RecordStats(Map<String, Long> counts, long inputBytes, long inputValues) {

  /** The statistics of a log nothing was written to. */
  public static final RecordStats EMPTY = new RecordStats(Map.of(), 0, 0);

  /**
   * The service's JSON shape: {@code {"counts":{...},"totals":{"input_bytes":B,"input_values":N}}}.
   *
   * @return the JSON object
   */
  public Map<String, Object> toJson() {
    Map<String, Object> totals = new LinkedHashMap<>();
    totals.put("input_bytes", inputBytes);
    totals.put("input_values", inputValues);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("counts", new LinkedHashMap<>(counts));
    out.put("totals", totals);
    return out;
  }

  /**
   * Log lines at ERROR (40) or above; the job summary reports them as {@code errors}.
   *
   * @return the count
   */
  public long errorCount() {
    long n = 0;
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      try {
        if (Integer.parseInt(e.getKey()) >= 40) {
          n += e.getValue();
        }
      } catch (NumberFormatException ignored) {
        // not a level key
      }
    }
    return n;
  }
}
