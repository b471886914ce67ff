package io.scrapinghubio.client.collections;

import io.scrapinghubio.client.json.Json;
import io.scrapinghubio.client.write.RecordEncoder;
import io.scrapinghubio.client.write.RecordRejectedException;
import io.scrapinghubio.client.write.RecordRejectedException.Reason;
import java.nio.charset.StandardCharsets;

/**
 * Encodes a key to delete from a collection as the line {@code collections/P/<type>/<name>/deleted}
 * takes: the key as a JSON string. An empty or null key is refused ({@code MISSING_KEY}).
 */
public final class CollectionKeyEncoder implements RecordEncoder<String> {
  /** The encoder, stateless and shared. */
  public static final CollectionKeyEncoder INSTANCE = new CollectionKeyEncoder();

  @Override
  public byte[] encode(String key) {
    if (key == null || key.isEmpty()) {
      throw new RecordRejectedException(Reason.MISSING_KEY, "cannot delete an empty or null key", null);
    }
    return Json.write(key).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String describe(String key, long position) {
    return "key '" + key + "'";
  }
}
