package io.scrapinghubio.emulator.http;

import io.scrapinghubio.emulator.json.Json;
import io.scrapinghubio.emulator.json.Msgpack;
import io.scrapinghubio.emulator.store.EmulatorState;
import io.scrapinghubio.emulator.store.EncodedRecord;
import io.scrapinghubio.emulator.store.ProjectState;
import io.scrapinghubio.emulator.store.RecordCodec;
import io.scrapinghubio.emulator.store.RecordLog;
import io.scrapinghubio.emulator.store.RecordStats;
import io.scrapinghubio.emulator.store.RecordType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code items}, {@code logs}, {@code requests} and {@code samples}: reads at project, spider, job
 * and record level, {@code /stats}, and batch writes with {@code ?start=}.
 *
 * <p>A deleted job's records are no longer served: its reads answer as those of a job that never
 * had any (empty body, zero stats), and project- or spider-level reads skip it.
 *
 * <p>Plain JSON reads of one job without filters take a fast path: the exact body length is
 * computed from the index and record bytes are copied straight to the socket.
 */
final class RecordsHandler implements Handler {
  private final EmulatorState state;

  RecordsHandler(EmulatorState state) {
    this.state = state;
  }

  @Override
  public void handle(Request req, Response resp) throws IOException {
    RecordType type = RecordType.fromPath(req.seg(0));
    if (req.size() < 2) {
      throw HttpError.notFound();
    }
    ProjectState project = Params.projectState(req, 1, state);
    Integer spider = req.size() > 2 ? Params.intSeg(req.seg(2)) : null;
    Integer job = req.size() > 3 ? Params.intSeg(req.seg(3)) : null;
    switch (req.method()) {
      case "GET":
        if (req.size() == 5 && req.seg(4).equals("stats")) {
          RecordStats s = project.jobQueue().deleted(spider, job) ? RecordStats.EMPTY : project.records().stats(spider, job, type);
          Object stats = s.toJson();
          resp.bytes(200, ContentTypes.JSON, Json.compactBytes(stats), false);
        } else if (req.size() >= 5) {
          single(req, resp, type, project, spider, job, Params.intSeg(req.seg(4)));
        } else {
          list(req, resp, type, project, spider, job);
        }
        return;
      case "POST":
        if (req.size() != 4) {
          throw new HttpError(405, ContentTypes.TEXT, "Method Not Allowed\n");
        }
        write(req, resp, type, project.records().of(spider, job, type));
        return;
      default:
        throw new HttpError(405, ContentTypes.TEXT, "Method Not Allowed\n");
    }
  }

  // ------------------------------------------------------------------ write

  private void write(Request req, Response resp, RecordType type, RecordLog log) {
    byte[] body = req.body();
    List<int[]> lines = Json.lines(body);
    List<EncodedRecord> recs = new ArrayList<>(lines.size());
    for (int[] l : lines) {
      Object value;
      try {
        value = Json.parse(body, l[0], l[1]);
      } catch (Json.JsonSyntaxException e) {
        throw HttpError.badRequest("Error parsing data, " + e.getMessage());
      }
      try {
        recs.add(RecordCodec.encode(type, value));
      } catch (RecordCodec.BadRecordException e) {
        throw new HttpError(e.status(), ContentTypes.TEXT, e.getMessage() + "\n");
      }
    }
    long start = startOffset(req, log);
    log.putAll(start, recs, state.now());
    resp.empty(200, ContentTypes.TEXT);
  }

  /** {@code ?start=N}, else a {@code Content-Range: items N-/*} header, else append. */
  private static long startOffset(Request req, RecordLog log) {
    if (req.param("start") != null) {
      long s = req.longParam("start", 0);
      if (s < 0) {
        throw HttpError.badRequest("Invalid value for parameter start: " + s);
      }
      return s;
    }
    String range = req.header("Content-Range");
    if (range != null) {
      String r = range.replaceAll("^[a-z]+\\s+", "");
      int dash = r.indexOf('-');
      if (dash > 0) {
        try {
          return Long.parseLong(r.substring(0, dash).trim());
        } catch (NumberFormatException ignored) {
          // fall through to append
        }
      }
    }
    return log.view().size();
  }

  // ------------------------------------------------------------------ reads

  /** Parsed read parameters. */
  private static final class ReadSpec {
    boolean key;
    boolean ts;
    boolean nodata;
    long count = Long.MAX_VALUE;
    long[] startKey; // {spider, job, index}
    boolean startExclusive;
    TreeSet<Long> indexes; // requested indexes (job-level reads)
    RecordFilter filter;
    Long startts;
    Long endts;
    boolean msgpack;

    boolean simple() {
      return filter == null && indexes == null && startts == null && endts == null && !msgpack;
    }
  }

  private ReadSpec spec(Request req, RecordType type) {
    ReadSpec s = new ReadSpec();
    for (String m : req.params("meta")) {
      if (m.equals("_key")) {
        s.key = true;
      } else if (m.equals("_ts")) {
        s.ts = true;
      }
    }
    s.nodata = Params.truthy(req.param("nodata"));
    long count = req.longParam("count", -1);
    if (count >= 0) {
      s.count = count;
    }
    if (req.param("startafter") != null) {
      s.startKey = parseKey(req.param("startafter"));
      s.startExclusive = true;
    } else if (req.param("start") != null) {
      s.startKey = parseKey(req.param("start"));
    }
    if (!req.params("index").isEmpty()) {
      s.indexes = new TreeSet<>();
      for (String i : req.params("index")) {
        String last = i.substring(i.lastIndexOf('/') + 1);
        try {
          s.indexes.add(Long.parseLong(last));
        } catch (NumberFormatException e) {
          throw HttpError.badRequest("Invalid index: " + i);
        }
      }
    }
    s.filter = RecordFilter.parse(req.params("filter"));
    if (req.param("startts") != null) {
      s.startts = req.longParam("startts", 0);
    }
    if (req.param("endts") != null) {
      s.endts = req.longParam("endts", 0);
    }
    s.msgpack = type.msgpackAllowed() && req.wantsMsgpack();
    return s;
  }

  /** {@code P/S/J/N} (or a shorter prefix) → {spider, job, index}; missing parts are 0. */
  private static long[] parseKey(String key) {
    String[] p = key.split("/");
    long[] out = new long[3];
    try {
      for (int i = 1; i < p.length && i <= 3; i++) {
        out[i - 1] = Long.parseLong(p[i]);
      }
    } catch (NumberFormatException e) {
      throw HttpError.badRequest("Invalid key: " + key);
    }
    return out;
  }

  private void list(Request req, Response resp, RecordType type, ProjectState project, Integer spider, Integer job)
      throws IOException {
    ReadSpec spec = spec(req, type);
    List<Map.Entry<Long, RecordLog>> logs;
    if (job != null) {
      logs = project.jobQueue().deleted(spider, job) ? List.of() : project.records().existing(spider, job, type)
          .map(l -> List.of(Map.entry(((long) spider << 32) | job, l)))
          .orElse(List.of());
    } else {
      logs = new ArrayList<>(project.records().allOf(type, spider));
      logs.removeIf(e -> project.jobQueue().deleted((int) (e.getKey() >>> 32), (int) (long) e.getKey()));
    }
    String ct = spec.msgpack ? ContentTypes.MSGPACK : ContentTypes.JSONLINES;
    if (logs.size() == 1 && spec.simple()) {
      fastJobRead(resp, type, project, logs.get(0), spec, ct);
      return;
    }
    try (OutputStream out = resp.stream(200, ct, -1, true)) {
      RecordWriter writer = new RecordWriter(type, spec.key, spec.ts, spec.nodata);
      long remaining = spec.count;
      for (Map.Entry<Long, RecordLog> e : logs) {
        if (remaining <= 0) {
          break;
        }
        long jobKey = e.getKey();
        int sp = (int) (jobKey >>> 32);
        int jn = (int) jobKey;
        RecordLog.View v = e.getValue().view();
        int from = firstIndex(spec, sp, jn, v.size());
        byte[] prefix = (project.id() + "/" + sp + "/" + jn + "/").getBytes(StandardCharsets.UTF_8);
        for (int i = from; i < v.size() && remaining > 0; i++) {
          if (!v.present(i)) {
            continue;
          }
          if (spec.indexes != null && !spec.indexes.contains((long) i)) {
            continue;
          }
          long ts = v.timestamp(i);
          if ((spec.startts != null && ts < spec.startts) || (spec.endts != null && ts >= spec.endts)) {
            continue;
          }
          Object parsed = null;
          if (spec.filter != null) {
            parsed = v.parse(i);
            if (!spec.filter.test(parsed)) {
              continue;
            }
          }
          if (spec.msgpack) {
            writeMsgpack(out, type, spec, v, i, parsed, prefix);
          } else {
            writer.write(out, v, i, prefix);
          }
          remaining--;
        }
      }
    }
  }

  /** First index to read in a job given start/startafter (which may point to another job). */
  private static int firstIndex(ReadSpec spec, int spider, int job, int size) {
    if (spec.startKey == null) {
      return 0;
    }
    long[] k = spec.startKey;
    int c = Long.compare(spider, k[0]);
    if (c == 0) {
      c = Long.compare(job, k[1]);
    }
    if (c < 0) {
      return size; // whole job is before the start key
    }
    if (c > 0) {
      return 0;
    }
    long idx = k[2] + (spec.startExclusive ? 1 : 0);
    return (int) Math.min(Math.max(0, idx), size);
  }

  private void fastJobRead(Response resp, RecordType type, ProjectState project, Map.Entry<Long, RecordLog> e,
      ReadSpec spec, String ct) throws IOException {
    int sp = (int) (e.getKey() >>> 32);
    int jn = (int) (long) e.getKey();
    RecordLog.View v = e.getValue().view();
    int from = firstIndex(spec, sp, jn, v.size());
    byte[] prefix = (project.id() + "/" + sp + "/" + jn + "/").getBytes(StandardCharsets.UTF_8);
    RecordWriter writer = new RecordWriter(type, spec.key, spec.ts, spec.nodata);
    // One pass over the index finds the end of the range and the exact body length.
    long length = 0;
    long taken = 0;
    int to = from;
    for (; to < v.size() && taken < spec.count; to++) {
      if (v.present(to)) {
        length += writer.length(v, to, prefix, taken == 0);
        taken++;
      }
    }
    try (OutputStream out = resp.stream(200, ct, length, true)) {
      for (int i = from; i < to; i++) {
        if (v.present(i)) {
          writer.write(out, v, i, prefix);
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static void writeMsgpack(OutputStream out, RecordType type, ReadSpec spec, RecordLog.View v, int i,
      Object parsed, byte[] prefix) throws IOException {
    Object value = parsed != null ? parsed : v.parse(i);
    if (value instanceof Map && (spec.key || spec.ts || spec.nodata)) {
      Map<String, Object> m = spec.nodata ? new LinkedHashMap<>() : new LinkedHashMap<>((Map<String, Object>) value);
      if (spec.key && type.keyInMsgpack()) {
        m.put("_key", new String(prefix, StandardCharsets.UTF_8) + i);
      }
      if (spec.ts) {
        m.put("_ts", v.timestamp(i));
      }
      value = m;
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream(v.length(i) + 32);
    Msgpack.write(buf, value);
    buf.writeTo(out);
  }

  /** {@code GET type/P/S/J/N[/field...]}: one record (or one of its fields). */
  private void single(Request req, Response resp, RecordType type, ProjectState project, int spider, int job,
      int index) throws IOException {
    ReadSpec spec = spec(req, type);
    RecordLog.View v = project.jobQueue().deleted(spider, job) ? null
        : project.records().existing(spider, job, type).map(RecordLog::view).orElse(null);
    boolean present = v != null && v.present(index);
    String ct = spec.msgpack ? ContentTypes.MSGPACK : ContentTypes.JSONLINES;
    if (!present) {
      resp.bytes(200, ct, new byte[0], true);
      return;
    }
    byte[] prefix = (project.id() + "/" + spider + "/" + job + "/").getBytes(StandardCharsets.UTF_8);
    if (req.size() > 5) {
      Object value = v.parse(index);
      for (int s = 5; s < req.size(); s++) {
        value = value instanceof Map ? ((Map<?, ?>) value).get(req.seg(s)) : null;
      }
      resp.bytes(200, ct, spec.msgpack ? Msgpack.encode(value) : Json.compactBytes(value), true);
      return;
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream(v.length(index) + 64);
    if (spec.msgpack) {
      writeMsgpack(buf, type, spec, v, index, null, prefix);
    } else {
      new RecordWriter(type, spec.key, spec.ts, spec.nodata).write(buf, v, index, prefix);
    }
    resp.bytes(200, ct, buf.toByteArray(), true);
  }
}
