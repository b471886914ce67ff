package io.scrapinghubio.client;

import io.scrapinghubio.client.core.JobKey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.scrapinghubio.client.errors.ScrapinghubException;
import io.scrapinghubio.client.read.JobRecord;
import io.scrapinghubio.client.read.JsonLinesDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The byte-level JSON-lines decoder: {@code _key} last (items), first (logs, requests), elsewhere, alone; samples. */
class ClientDecoderTest {
  private static final JobKey JOB = JobKey.parse("2222222/1/287");

  private static List<JobRecord> decode(String body, boolean keyed, boolean keep) {
    return JsonLinesDecoder.decode(body.getBytes(StandardCharsets.UTF_8), JOB, keyed, keep, 0);
  }

  @Test
  void keyLast() {
    List<JobRecord> r = decode("{\"id\":0,\"_key\":\"2222222/1/287/0\"}\n{\"id\":1,\"_key\":\"2222222/1/287/1\"}\n", true, false);
    assertEquals(2, r.size());
    assertEquals("{\"id\":1}", r.get(1).json());
    assertEquals(1, r.get(1).index());
    assertEquals("{\"id\":0,\"_key\":\"2222222/1/287/0\"}", decode("{\"id\":0,\"_key\":\"2222222/1/287/0\"}", true, true).get(0).json());
  }

  @Test
  void keyFirstWithoutFinalNewline() {
    List<JobRecord> r = decode("{\"_key\":\"2222222/1/293/7\",\"time\":1,\"level\":40,\"message\":\"error-msg\"}", true, false);
    assertEquals(7, r.get(0).index());
    assertEquals("{\"time\":1,\"level\":40,\"message\":\"error-msg\"}", r.get(0).json());
  }

  @Test
  void keyOnlyRecord() {
    assertEquals("{}", decode("{\"_key\":\"2222222/1/287/3\"}\n", true, false).get(0).json());
    assertEquals(3, decode("{\"_key\":\"2222222/1/287/3\"}\n", true, false).get(0).index());
  }

  @Test
  void keyInTheMiddleAndSpacedFallBackToJackson() {
    JobRecord r = decode("{\"a\":1,\"_key\":\"2222222/1/287/9\",\"b\":{\"_key\":\"x\"}}\n", true, false).get(0);
    assertEquals(9, r.index());
    assertEquals("{\"a\":1,\"b\":{\"_key\":\"x\"}}", r.json());
    assertEquals(4, decode("{\"a\": 1, \"_key\": \"2222222/1/287/4\"}\r\n", true, false).get(0).index());
  }

  @Test
  void keyInsideAStringIsNotTheKey() {
    JobRecord r = decode("{\"t\":\"\\\"_key\\\":\\\"9/9/9/9\\\"}\",\"_key\":\"2222222/1/287/2\"}\n", true, false).get(0);
    assertEquals(2, r.index());
  }

  @Test
  void samplesArePositional() {
    List<JobRecord> r = JsonLinesDecoder.decode("[1,2]\n[3,4]".getBytes(StandardCharsets.UTF_8), JOB, false, true, 10);
    assertEquals(List.of(10L, 11L), r.stream().map(JobRecord::index).toList());
    assertEquals("[3,4]", r.get(1).json());
  }

  @Test
  void badKeysAreRejected() {
    assertThrows(ScrapinghubException.class, () -> decode("{\"id\":1}\n", true, false));
    assertThrows(ScrapinghubException.class, () -> decode("{\"id\":1,\"_key\":\"2222222/1/287/x\"}\n", true, false));
  }
}
