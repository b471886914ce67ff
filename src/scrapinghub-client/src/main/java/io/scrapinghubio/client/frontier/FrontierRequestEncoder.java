package io.scrapinghubio.client.frontier;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scrapinghubio.client.json.Json;
import io.scrapinghubio.client.write.RecordEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Encodes a request for a frontier slot as the official client sends it:
 * {@code {"fp": ..., "qdata": ..., "fdata": ..., "p": ...}} with absent fields left out.
 * {@link FrontierRequest#fromJson} reads that form back.
 */
public final class FrontierRequestEncoder implements RecordEncoder<FrontierRequest> {
  /** The encoder, stateless and shared. */
  public static final FrontierRequestEncoder INSTANCE = new FrontierRequestEncoder();

  @Override
  public byte[] encode(FrontierRequest r) {
    ObjectNode n = Json.object();
    n.put("fp", r.fp());
    if (r.qdata() != null) {
      n.set("qdata", r.qdata());
    }
    if (r.fdata() != null) {
      n.set("fdata", r.fdata());
    }
    if (r.p() != null) {
      n.put("p", r.p());
    }
    return Json.write(n).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String describe(FrontierRequest r, long position) {
    String fp = r.fp();
    return "request with fp '" + (fp.length() > 100 ? fp.substring(0, 100) + "..." : fp) + "'";
  }
}
