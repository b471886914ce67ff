package io.scrapinghubio.cli.follow;

import io.scrapinghubio.beam.read.ScrapinghubRecord;
import io.scrapinghubio.cli.progress.LiveCounts;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.transforms.DoFn;
import org.joda.time.Instant;

/**
 * Turns each followed record into its JSON line, {@code _key} and {@code _ts} first (so that a
 * line says which item it is and when it was scraped, the window it was filed under), and counts
 * it for the command's progress line when the pipeline runs in this JVM.
 */
final class FollowLineFn extends DoFn<ScrapinghubRecord, String> {
  private final String countsId;
  private transient LiveCounts counts;

  FollowLineFn(String countsId) {
    this.countsId = countsId;
  }

  @Setup
  public void setup() {
    counts = LiveCounts.inThisJvm(countsId); // null on a remote cluster: its UI shows progress
  }

  @ProcessElement
  public void process(@Element ScrapinghubRecord r, @Timestamp Instant scraped, OutputReceiver<String> out) {
    String line = line(r.key(), scraped.getMillis(), r.json());
    if (counts != null) {
      counts.followed(r.jobKey(), scraped.getMillis(), line.getBytes(StandardCharsets.UTF_8).length + 1L);
    }
    out.output(line);
  }

  /** {@code {"_key":"1/2/3/0","_ts":1700000000000,...the item's fields}}. */
  static String line(String key, long ts, String json) {
    String item = json.strip();
    String rest = item.equals("{}") ? "}" : "," + item.substring(1);
    return "{\"_key\":\"" + key + "\",\"_ts\":" + ts + rest;
  }
}
