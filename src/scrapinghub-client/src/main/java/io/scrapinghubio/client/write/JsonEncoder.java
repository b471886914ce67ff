package io.scrapinghubio.client.write;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.scrapinghubio.client.errors.BadRequestException;
import io.scrapinghubio.client.json.Json;

/**
 * Encodes any Jackson-serialisable value (a {@code Map}, a {@code JsonNode}, a POJO, a list for
 * samples) as compact JSON; {@link RawJson} passes through untouched. Used for items, logs,
 * requests and samples.
 */
public class JsonEncoder implements RecordEncoder<Object> {
  public static final JsonEncoder INSTANCE = new JsonEncoder();

  @Override
  public byte[] encode(Object record) {
    if (record == null) {
      throw new BadRequestException("cannot write a null record", -1, null);
    }
    if (record instanceof RawJson) {
      return ((RawJson) record).bytes();
    }
    try {
      return Json.MAPPER.writeValueAsBytes(record);
    } catch (JsonProcessingException e) {
      throw new BadRequestException("record cannot be encoded as JSON: " + e.getOriginalMessage(), -1, e);
    }
  }
}
