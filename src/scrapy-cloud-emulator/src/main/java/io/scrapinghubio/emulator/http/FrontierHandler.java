package io.scrapinghubio.emulator.http;

import io.scrapinghubio.emulator.json.Json;
import io.scrapinghubio.emulator.store.EmulatorState;
import io.scrapinghubio.emulator.store.FrontierStore;
import io.scrapinghubio.emulator.store.ProjectState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hub Crawl Frontier, {@code hcf/P/...}: frontier and slot lists, adding requests
 * ({@code {"newcount":N}}), reading the queue in batches, deleting batches, listing fingerprints
 * and deleting slots (a missing slot is not an error).
 */
final class FrontierHandler implements Handler {
  /** Without {@code mincount} the queue read returns batches until this many requests. */
  static final int DEFAULT_MINCOUNT = 100;

  private final EmulatorState state;

  FrontierHandler(EmulatorState state) {
    this.state = state;
  }

  @Override
  @SuppressWarnings("unchecked")
  public void handle(Request req, Response resp) throws IOException {
    ProjectState project = Params.projectState(req, 1, state);
    FrontierStore hcf = project.frontiers();
    String m = req.method();
    if (req.size() == 3 && "list".equals(req.seg(2)) && m.equals("GET")) {
      resp.bytes(200, ContentTypes.JSON, Json.compactBytes(hcf.frontierNames()), false);
      return;
    }
    if (req.size() == 4 && "list".equals(req.seg(3)) && m.equals("GET")) {
      resp.bytes(200, ContentTypes.JSON, Json.compactBytes(hcf.slotNames(req.seg(2))), false);
      return;
    }
    if (req.size() < 5 || !"s".equals(req.seg(3))) {
      throw HttpError.notFound();
    }
    String frontier = req.seg(2);
    String slot = req.seg(4);
    if (req.size() == 5) {
      if (m.equals("POST")) {
        List<Map<String, Object>> reqs = new ArrayList<>();
        for (Object o : Json.parseLines(req.body())) {
          if (!(o instanceof Map) || ((Map<?, ?>) o).get("fp") == null) {
            throw HttpError.badRequest("Error parsing data, missing value for fp field");
          }
          reqs.add((Map<String, Object>) o);
        }
        int newCount = hcf.add(frontier, slot, reqs);
        resp.bytes(200, ContentTypes.JSON, Json.compactBytes(Map.of("newcount", newCount)), false);
        return;
      }
      if (m.equals("DELETE")) {
        hcf.deleteSlot(frontier, slot);
        resp.empty(200, null);
        return;
      }
      throw new HttpError(405, ContentTypes.TEXT, "Method Not Allowed\n");
    }
    String what = req.seg(5);
    if ("q".equals(what) && req.size() == 6 && m.equals("GET")) {
      int mincount = (int) Math.max(1, req.longParam("mincount", DEFAULT_MINCOUNT));
      int maxBatches = (int) Math.max(0, Math.min(Integer.MAX_VALUE, req.longParam("count", Integer.MAX_VALUE)));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (FrontierStore.Batch b : hcf.read(frontier, slot, mincount, maxBatches)) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("id", b.id());
        line.put("requests", b.requests());
        out.write(Json.compactBytes(line));
        out.write('\n');
      }
      resp.bytes(200, ContentTypes.JSONLINES, out.toByteArray(), true);
      return;
    }
    if ("q".equals(what) && req.size() == 7 && "deleted".equals(req.seg(6)) && m.equals("POST")) {
      List<String> ids = new ArrayList<>();
      for (Object o : Json.parseLines(req.body())) {
        ids.add(String.valueOf(o));
      }
      hcf.deleteBatches(frontier, slot, ids);
      resp.empty(200, null);
      return;
    }
    if ("f".equals(what) && req.size() == 6 && m.equals("GET")) {
      long count = req.longParam("count", Long.MAX_VALUE);
      String start = req.param("start");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      long n = 0;
      for (String fp : hcf.fingerprints(frontier, slot)) {
        if (n >= count) {
          break;
        }
        if (start != null && fp.compareTo(start) < 0) {
          continue;
        }
        out.write(Json.compactBytes(Map.of("fp", fp)));
        out.write('\n');
        n++;
      }
      resp.bytes(200, ContentTypes.JSONLINES, out.toByteArray(), true);
      return;
    }
    throw HttpError.notFound();
  }
}
