package io.scrapinghubio.cli.follow;

import io.scrapinghubio.beam.read.ScrapinghubRecord;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;

/**
 * Turns each followed record into its JSON line, {@code _key} and {@code _ts} first (so that a
 * line says which item it is and when it was scraped, the window it was filed under), keyed by the
 * shard of its window's files that will hold it. The window writer counts it once it holds it.
 */
final class FollowLineFn extends DoFn<ScrapinghubRecord, KV<Integer, String>> {
  private final int shards;

  FollowLineFn(int shards) {
    this.shards = shards;
  }

  @ProcessElement
  public void process(@Element ScrapinghubRecord r, @Timestamp Instant scraped, OutputReceiver<KV<Integer, String>> out) {
    // By the item's key, so that an item replayed after a restart lands in the same shard.
    out.output(KV.of(Math.floorMod(r.key().hashCode(), shards), line(r.key(), scraped.getMillis(), r.json())));
  }

  /** {@code {"_key":"1/2/3/0","_ts":1700000000000,...the item's fields}}. */
  static String line(String key, long ts, String json) {
    String item = json.strip();
    String rest = item.equals("{}") ? "}" : "," + item.substring(1);
    return "{\"_key\":\"" + key + "\",\"_ts\":" + ts + rest;
  }

  /** The item key ({@code P/S/J/N}) of a {@link #line}. */
  static String itemKey(String line) {
    int start = "{\"_key\":\"".length();
    int end = line.indexOf('"', start);
    return end > start ? line.substring(start, end) : "";
  }

  /** The job key ({@code P/S/J}) of a {@link #line}. */
  static String jobKey(String line) {
    int start = "{\"_key\":\"".length();
    int end = line.indexOf('"', start);
    int slash = end < 0 ? -1 : line.lastIndexOf('/', end);
    return slash > start ? line.substring(start, slash) : "";
  }
}
