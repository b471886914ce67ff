package io.scrapinghubio.client.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scrapinghubio.client.testing.FakeStorage.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Collections endpoints of {@link FakeStorage}. */
final class Collections0 {
  private Collections0() {}

  static Response route(FakeStorage fs, String method, String[] s, Map<String, List<String>> q, byte[] body, String accept)
      throws IOException {
    long p = Long.parseLong(s[1]);
    if (s.length == 3 && s[2].equals("list")) {
      List<JsonNode> out = new ArrayList<>();
      for (Map.Entry<String, TreeMap<String, ObjectNode>> e : fs.collections.entrySet()) {
        String[] k = e.getKey().split("/");
        if (Long.parseLong(k[0]) == p) {
          out.add(FakeStorage.JSON.createObjectNode().put("type", k[1]).put("name", k[2]));
        }
      }
      return FakeStorage.lines(out);
    }
    if (s.length == 3 && s[2].equals("delete")) {
      String name = FakeStorage.first0(q, "name");
      fs.collections.keySet().removeIf(k -> k.endsWith("/" + name) && k.startsWith(p + "/"));
      return new Response(202, "application/json; charset=UTF-8",
          ("{\"status\":\"success\",\"deleted\":\"" + name + "\"}").getBytes());
    }
    TreeMap<String, ObjectNode> col = fs.collection(p, s[2], s[3]);
    if (s.length == 4 && method.equals("POST")) {
      List<JsonNode> docs = FakeStorage.parseLines(body);
      for (JsonNode d : docs) {
        if (!d.hasNonNull("_key")) {
          return FakeStorage.error(400, "Error parsing data, missing value for _key field");
        }
        if (FakeStorage.JSON.writeValueAsBytes(d).length > 1048576) {
          return FakeStorage.error(413, "Error parsing data, Serialized value too large - max 1048576 bytes");
        }
      }
      for (JsonNode d : docs) {
        ObjectNode o = ((ObjectNode) d).deepCopy();
        String key = o.remove("_key").asText();
        col.put(key, o);
      }
      return FakeStorage.ok();
    }
    if (s.length == 4) {
      return scan(fs, col, q);
    }
    if (s[4].equals("deleted") && method.equals("POST")) {
      for (JsonNode k : FakeStorage.parseLines(body)) {
        col.remove(k.asText());
      }
      return FakeStorage.ok();
    }
    if (s[4].equals("count") && s.length == 5) {
      return count(fs, col, q);
    }
    ObjectNode v = col.get(s[4]);
    if (v == null) {
      return new Response(404, null, "Not Found\n".getBytes());
    }
    return accept.contains("msgpack") ? FakeStorage.msgpack(List.of(v)) : FakeStorage.lines(List.of(v));
  }

  private static boolean selected(String key, Map<String, List<String>> q) {
    List<String> keys = q.get("key");
    if (keys != null && !keys.contains(key)) {
      return false;
    }
    List<String> prefixes = q.get("prefix");
    if (prefixes != null && prefixes.stream().noneMatch(key::startsWith)) {
      return false;
    }
    return true;
  }

  private static Response scan(FakeStorage fs, TreeMap<String, ObjectNode> col, Map<String, List<String>> q) throws IOException {
    String start = FakeStorage.first0(q, "start");
    String after = FakeStorage.first0(q, "startafter");
    long count = FakeStorage.first0(q, "count") == null ? Long.MAX_VALUE : Long.parseLong(FakeStorage.first0(q, "count"));
    if (fs.scanPageCap > 0) {
      count = Math.min(count, fs.scanPageCap);
    }
    boolean meta = q.getOrDefault("meta", List.of()).contains("_key");
    List<JsonNode> out = new ArrayList<>();
    for (Map.Entry<String, ObjectNode> e : col.entrySet()) {
      String k = e.getKey();
      if ((start != null && k.compareTo(start) < 0) || (after != null && k.compareTo(after) <= 0) || !selected(k, q)) {
        continue;
      }
      if (out.size() >= count) {
        break;
      }
      ObjectNode o = e.getValue().deepCopy();
      if (meta) {
        o.put("_key", k);
      }
      out.add(o);
    }
    return FakeStorage.lines(out);
  }

  private static Response count(FakeStorage fs, TreeMap<String, ObjectNode> col, Map<String, List<String>> q) throws IOException {
    String start = FakeStorage.first0(q, "start");
    int slice = fs.countSlice;
    long n = 0;
    long scanned = 0;
    String next = null;
    for (String k : col.keySet()) {
      if (start != null && k.compareTo(start) < 0) {
        continue;
      }
      if (slice > 0 && scanned >= slice) {
        next = k;
        break;
      }
      scanned++;
      if (selected(k, q)) {
        n++;
      }
    }
    ObjectNode r = FakeStorage.JSON.createObjectNode();
    if (next != null) {
      r.put("nextstart", next);
    }
    r.put("count", n).put("scanned", scanned);
    return FakeStorage.json(r);
  }
}
