package io.scrapinghubio.client.write;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.scrapinghubio.client.json.Json;
import io.scrapinghubio.client.write.RecordRejectedException.Reason;

/**
 * Encodes any Jackson-serialisable value (a {@code Map}, a {@code JsonNode}, a POJO, a list for
 * samples) as compact JSON; {@link RawJson} passes through untouched. Used for items, logs,
 * requests and samples. Refuses a null or unencodable record with {@link RecordRejectedException}.
 */
public class JsonEncoder implements RecordEncoder<Object> {
  /** The encoder, stateless and shared. */
  public static final JsonEncoder INSTANCE = new JsonEncoder();

  @Override
  public byte[] encode(Object record) {
    if (record == null) {
      throw new RecordRejectedException(Reason.NOT_JSON, "cannot write a null record", null);
    }
    if (record instanceof RawJson) {
      return ((RawJson) record).bytes();
    }
    try {
      return Json.MAPPER.writeValueAsBytes(record);
    } catch (JsonProcessingException e) {
      throw new RecordRejectedException(Reason.NOT_JSON, "record cannot be encoded as JSON: " + e.getOriginalMessage(), e);
    }
  }
}
