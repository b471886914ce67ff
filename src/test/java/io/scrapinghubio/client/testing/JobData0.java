package io.scrapinghubio.client.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scrapinghubio.client.testing.FakeStorage.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** items/logs/requests/samples endpoints of {@link FakeStorage}: positional writes with {@code ?start=}, keyed reads. */
final class JobData0 {
  private JobData0() {}

  static Response route(FakeStorage fs, String method, String[] s, Map<String, List<String>> q, byte[] body, String accept)
      throws IOException {
    String type = s[0];
    String job = s[1] + "/" + s[2] + "/" + s[3];
    List<JsonNode> recs = fs.records(type, job);
    if (method.equals("POST")) {
      long start = Long.parseLong(FakeStorage.first0(q, "start") == null ? "0" : FakeStorage.first0(q, "start"));
      List<JsonNode> docs = FakeStorage.parseLines(body);
      for (JsonNode d : docs) {
        if (FakeStorage.JSON.writeValueAsBytes(d).length > 1048576) {
          return FakeStorage.error(413, "Request Entity Too Large");
        }
      }
      synchronized (recs) {
        if (start > recs.size()) {
          return FakeStorage.error(400, "start " + start + " is past the end (" + recs.size() + ")");
        }
        for (int i = 0; i < docs.size(); i++) {
          int pos = (int) start + i;
          if (pos < recs.size()) {
            recs.set(pos, docs.get(i));
          } else {
            recs.add(docs.get(i));
          }
        }
      }
      return FakeStorage.ok();
    }
    if (s.length == 5 && s[4].equals("stats")) {
      return FakeStorage.json(FakeStorage.JSON.createObjectNode().set("totals",
          FakeStorage.JSON.createObjectNode().put("input_values", recs.size())));
    }
    long from = 0;
    String start = FakeStorage.first0(q, "start");
    if (start != null) {
      from = Long.parseLong(start.substring(start.lastIndexOf('/') + 1));
    }
    long count = FakeStorage.first0(q, "count") == null ? Long.MAX_VALUE : Long.parseLong(FakeStorage.first0(q, "count"));
    boolean mp = accept.contains("msgpack") && !type.equals("requests");
    boolean keyed = q.getOrDefault("meta", List.of()).contains("_key") && !(mp && type.equals("logs") && !fs.msgpackLogsKeyed);
    List<JsonNode> out = new ArrayList<>();
    synchronized (recs) {
      for (long i = from; i < recs.size() && out.size() < count; i++) {
        JsonNode r = recs.get((int) i);
        if (keyed && r.isObject()) {
          r = ((ObjectNode) r.deepCopy()).put("_key", job + "/" + i);
        }
        out.add(r);
      }
    }
    return mp ? FakeStorage.msgpack(out) : FakeStorage.lines(out);
  }
}
