package io.scrapinghubio.emulator;

import static io.scrapinghubio.emulator.TestHttp.map;
import static io.scrapinghubio.emulator.TestHttp.maps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.emulator.junit.ScrapyCloudEmulatorExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EmulatorFrontierTest {
  @RegisterExtension
  static final ScrapyCloudEmulatorExtension EMU = ScrapyCloudEmulatorExtension.withApiKey("KEY").projects(7001, 7002);

  @Test
  void addReadDeleteBatches(ScrapyCloudEmulator emu) {
    TestHttp h = new TestHttp(emu, "KEY");
    String slot = "hcf/7001/fr/s/site.com";
    assertEquals(200, h.delete(slot).code()); // missing slot is not 404
    TestHttp.Reply add = h.post(slot + "?start=0", "{\"fp\": \"/some/path.html\"}\n{\"fp\": \"/other/path.html\"}\n",
        "content-encoding", "identity");
    assertEquals("application/json; charset=UTF-8", add.contentType());
    assertEquals("{\"newcount\":2}", add.text());
    assertEquals("{\"newcount\":0}", h.post(slot + "?start=2", "{\"fp\": \"/some/path.html\"}\n").text());
    assertEquals("{\"newcount\":1}", h.post(slot + "?start=2", "{\"fp\": \"page1.html\", \"p\": 1, \"qdata\": {\"depth\": 1}}\n").text());
    TestHttp.Reply q = h.get(slot + "/q");
    assertEquals("application/x-jsonlines; charset=UTF-8", q.contentType());
    List<Map<String, Object>> batches = maps(q.jsonLines());
    assertEquals(2, batches.size());
    String id0 = (String) batches.get(0).get("id");
    String id1 = (String) batches.get(1).get("id");
    assertTrue(id0.startsWith("00") && id1.startsWith("01"));
    assertEquals(List.of(java.util.Arrays.asList("/some/path.html", null), java.util.Arrays.asList("/other/path.html", null)),
        batches.get(0).get("requests"));
    assertEquals(List.of(List.of("page1.html", Map.of("depth", 1))), batches.get(1).get("requests"));
    h.post(slot + "/q/deleted", "\"" + id0 + "\"\n\"" + id1 + "\"");
    assertEquals(0, h.get(slot + "/q").body().length);
    assertEquals(List.of("/other/path.html", "/some/path.html", "page1.html"),
        maps(h.get(slot + "/f").jsonLines()).stream().map(m -> m.get("fp")).toList());
    assertEquals("[\"fr\"]", h.get("hcf/7001/list").text());
    assertEquals("[\"site.com\"]", h.get("hcf/7001/fr/list").text());
    h.delete(slot);
    assertEquals("[]", h.get("hcf/7001/fr/list").text());
    assertEquals("[]", h.get("hcf/7001/list").text());
  }

  @Test
  void batchesHoldAtMostOneHundredRequests(ScrapyCloudEmulator emu) {
    TestHttp h = new TestHttp(emu, "KEY");
    String slot = "hcf/7002/big/s/site.com";
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      sb.append("{\"fp\": \"/index_").append(i).append(".html\"}\n");
    }
    assertEquals(300, map(h.post(slot + "?start=0", sb.toString()).json()).get("newcount"));
    List<Object> one = h.get(slot + "/q?mincount=100").jsonLines();
    assertEquals(1, one.size());
    assertEquals(100, ((List<?>) map(one.get(0)).get("requests")).size());
    assertEquals(3, h.get(slot + "/q?mincount=1000").jsonLines().size());
  }
}
