package io.scrapinghubio.client.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.scrapinghubio.client.testing.FakeStorage.Response;
import io.scrapinghubio.client.testing.FakeStorage.Slot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** HCF endpoints of {@link FakeStorage}: fingerprints de-duplicated per slot, queue batches of up to 100. */
final class Hcf {
  private Hcf() {}

  static Response route(FakeStorage fs, String method, String[] s, Map<String, List<String>> q, byte[] body) throws IOException {
    String p = s[1];
    if (s.length == 3 && s[2].equals("list")) {
      TreeSet<String> names = new TreeSet<>();
      fs.slots.keySet().stream().filter(k -> k.startsWith(p + "/")).forEach(k -> names.add(k.split("/")[1]));
      return FakeStorage.json(names);
    }
    String f = s[2];
    if (s.length == 4 && s[3].equals("list")) {
      TreeSet<String> names = new TreeSet<>();
      fs.slots.keySet().stream().filter(k -> k.startsWith(p + "/" + f + "/")).forEach(k -> names.add(k.split("/")[2]));
      return FakeStorage.json(names);
    }
    String key = p + "/" + f + "/" + s[4];
    if (method.equals("DELETE")) {
      fs.slots.remove(key);
      return new Response(200, null, new byte[0]);
    }
    if (s.length == 5 && method.equals("POST")) {
      Slot slot = fs.slots.computeIfAbsent(key, k -> new Slot());
      int newcount = 0;
      List<JsonNode> added = new ArrayList<>();
      for (JsonNode r : FakeStorage.parseLines(body)) {
        String fp = r.path("fp").asText();
        if (slot.fps.containsKey(fp)) {
          continue;
        }
        slot.fps.put(fp, r);
        newcount++;
        added.add(r);
      }
      for (int i = 0; i < added.size(); i += 100) {
        ArrayNode reqs = FakeStorage.JSON.createArrayNode();
        for (JsonNode r : added.subList(i, Math.min(added.size(), i + 100))) {
          ArrayNode e = reqs.addArray().add(r.path("fp").asText());
          if (r.has("qdata")) {
            e.add(r.get("qdata"));
          } else {
            e.addNull();
          }
        }
        slot.queue.add(new String[] {String.format("00%016x", slot.seq++), FakeStorage.JSON.writeValueAsString(reqs)});
      }
      return FakeStorage.json(FakeStorage.JSON.createObjectNode().put("newcount", newcount));
    }
    Slot slot = fs.slots.get(key);
    if (s[5].equals("q") && s.length == 7 && method.equals("POST")) {
      if (slot != null) {
        List<String> ids = new ArrayList<>();
        FakeStorage.parseLines(body).forEach(n -> ids.add(n.asText()));
        slot.queue.removeIf(b -> ids.contains(b[0]));
      }
      return new Response(200, null, new byte[0]);
    }
    if (s[5].equals("q")) {
      List<JsonNode> out = new ArrayList<>();
      if (slot != null) {
        for (String[] b : slot.queue) {
          out.add(FakeStorage.JSON.createObjectNode().put("id", b[0]).set("requests", FakeStorage.JSON.readTree(b[1])));
        }
      }
      return FakeStorage.lines(out);
    }
    List<JsonNode> out = new ArrayList<>();
    if (slot != null) {
      slot.fps.keySet().forEach(fp -> out.add(FakeStorage.JSON.createObjectNode().put("fp", fp)));
    }
    return FakeStorage.lines(out);
  }
}
