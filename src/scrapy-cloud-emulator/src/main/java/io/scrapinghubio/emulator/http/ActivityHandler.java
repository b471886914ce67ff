package io.scrapinghubio.emulator.http;

import io.scrapinghubio.emulator.json.Json;
import io.scrapinghubio.emulator.store.ActivityLog;
import io.scrapinghubio.emulator.store.EmulatorState;
import io.scrapinghubio.emulator.store.ProjectState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Project activity, {@code activity/P}: POST JSON-lines events, GET them newest first. */
final class ActivityHandler implements Handler {
  private final EmulatorState state;

  ActivityHandler(EmulatorState state) {
    this.state = state;
  }

  @Override
  @SuppressWarnings("unchecked")
  public void handle(Request req, Response resp) throws IOException {
    if (req.size() != 2) {
      throw HttpError.notFound();
    }
    ProjectState project = Params.projectState(req, 1, state);
    if (req.method().equals("POST")) {
      List<Map<String, Object>> events = new ArrayList<>();
      for (Object o : Json.parseLines(req.body())) {
        if (!(o instanceof Map)) {
          throw HttpError.badRequest("Error parsing data, activity events must be JSON objects");
        }
        events.add((Map<String, Object>) o);
      }
      project.activity().add(events);
      resp.empty(200, ContentTypes.TEXT);
      return;
    }
    if (!req.method().equals("GET")) {
      throw new HttpError(405, ContentTypes.TEXT, "Method Not Allowed\n");
    }
    long count = req.longParam("count", Long.MAX_VALUE);
    boolean ts = req.params("meta").contains("_ts");
    RecordFilter filter = RecordFilter.parse(req.params("filter"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long n = 0;
    for (ActivityLog.Event e : project.activity().newestFirst()) {
      if (n >= count) {
        break;
      }
      if (filter != null && !filter.test(e.data())) {
        continue;
      }
      Map<String, Object> line = new LinkedHashMap<>(e.data());
      if (ts) {
        line.put("_ts", e.ts());
      }
      out.write(Json.compactBytes(line));
      out.write('\n');
      n++;
    }
    resp.bytes(200, ContentTypes.JSONLINES, out.toByteArray(), true);
  }
}
