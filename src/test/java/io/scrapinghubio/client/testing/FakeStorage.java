package io.scrapinghubio.client.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.scrapinghubio.client.ClientConfig;
import io.scrapinghubio.client.RetryPolicy;
import io.scrapinghubio.client.ScrapinghubClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/**
 * A small in-memory stand-in for the storage API used by the client tests until the emulator
 * serves collections, HCF, activity and settings: it follows the protocol notes (JL bodies,
 * {@code ?start=} writes, {@code meta=_key}, {@code nextstart} counts, 100-request HCF batches,
 * msgpack on request) and can inject faults into chosen requests.
 */
public final class FakeStorage implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final ObjectMapper MSGPACK = new ObjectMapper(new MessagePackFactory());

  /** What to do to a matching request instead of (or after) serving it. */
  public enum Fault { STATUS_429, STATUS_503, RESET, TRUNCATE, PROCESS_THEN_503 }

  private record Rule(Predicate<String> match, Fault fault, int[] remaining) {}

  private final HttpServer server;
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final Deque<Rule> rules = new ArrayDeque<>();

  // state
  final Map<String, TreeMap<String, ObjectNode>> collections = new ConcurrentHashMap<>();
  final Map<String, List<JsonNode>> records = new ConcurrentHashMap<>(); // "items/P/S/J" -> positions
  final Map<String, Slot> slots = new ConcurrentHashMap<>(); // "P/F/S"
  final List<JsonNode> activity = new CopyOnWriteArrayList<>();
  final Map<Long, ObjectNode> settings = new ConcurrentHashMap<>();
  /** Server cap on scan pages (0 = none): answers fewer records than asked, like the real service sometimes does. */
  public volatile int scanPageCap;
  /** Keys per count slice (0 = one slice); more remain => {@code nextstart}. */
  public volatile int countSlice;
  /** Whether msgpack logs carry {@code _key} (the real service leaves it out). */
  public volatile boolean msgpackLogsKeyed;

  static final class Slot {
    final TreeMap<String, JsonNode> fps = new TreeMap<>();
    final List<String[]> queue = new ArrayList<>(); // [batchId, json array of [fp,qdata]...]
    final List<JsonNode> pendingBatch = new ArrayList<>();
    int seq;
  }

  public FakeStorage() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  /** A client pointed here with a fast retry policy. */
  public ScrapinghubClient client() {
    return client(ClientConfig.builder());
  }

  public ScrapinghubClient client(ClientConfig.Builder b) {
    return ScrapinghubClient.create(b.apiKey("ffffffffffffffffffffffffffffffff").storageEndpoint(url()).dashEndpoint(url() + "api/")
        .retryPolicy(RetryPolicy.of(5, Duration.ofMillis(5), Duration.ofMillis(20), Duration.ofSeconds(20)))
        .readTimeout(Duration.ofSeconds(5)).build());
  }

  /** Injects {@code fault} into the next {@code times} requests whose "METHOD path?query" matches. */
  public synchronized FakeStorage fault(String regex, Fault fault, int times) {
    rules.add(new Rule(s -> s.matches(regex), fault, new int[] {times}));
    return this;
  }

  public List<String> requests() {
    return Collections.unmodifiableList(log);
  }

  public void clearLog() {
    log.clear();
  }

  public TreeMap<String, ObjectNode> collection(long p, String type, String name) {
    return collections.computeIfAbsent(p + "/" + type + "/" + name, k -> new TreeMap<>());
  }

  public List<JsonNode> records(String type, String job) {
    return records.computeIfAbsent(type + "/" + job, k -> Collections.synchronizedList(new ArrayList<>()));
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  private synchronized Fault takeFault(String line) {
    for (Rule r : rules) {
      if (r.remaining[0] > 0 && r.match.test(line)) {
        r.remaining[0]--;
        return r.fault;
      }
    }
    return null;
  }

  // ------------------------------------------------------------------------------------------

  private void handle(HttpExchange ex) throws IOException {
    try {
      String path = ex.getRequestURI().getRawPath();
      String query = ex.getRequestURI().getRawQuery();
      String line = ex.getRequestMethod() + " " + path + (query == null ? "" : "?" + query);
      log.add(line);
      byte[] body = readBody(ex);
      Fault f = takeFault(line);
      if (f == Fault.STATUS_429 || f == Fault.STATUS_503) {
        send(ex, f == Fault.STATUS_429 ? 429 : 503, "text/plain", "injected".getBytes());
        return;
      }
      if (f == Fault.RESET) {
        ex.getResponseBody().close(); // no status line: the client sees the connection end
        ex.close();
        return;
      }
      Response r;
      synchronized (this) {
        r = route(ex.getRequestMethod(), decode(path), params(query), body, accept(ex));
      }
      if (f == Fault.PROCESS_THEN_503) {
        send(ex, 503, "text/html", "<h1>503 Service Unavailable</h1>".getBytes());
        return;
      }
      if (f == Fault.TRUNCATE && r.body.length > 1) {
        ex.getResponseHeaders().set("Content-Type", r.type);
        ex.sendResponseHeaders(r.status, r.body.length);
        OutputStream os = ex.getResponseBody();
        os.write(r.body, 0, r.body.length / 2);
        os.flush();
        ex.close(); // fewer bytes than Content-Length
        return;
      }
      send(ex, r.status, r.type, r.body);
    } catch (Exception e) {
      byte[] msg = String.valueOf(e).getBytes(StandardCharsets.UTF_8);
      try {
        send(ex, 500, "text/plain", msg);
      } catch (IOException ignored) {
        // connection gone
      }
    }
  }

  private static String accept(HttpExchange ex) {
    String a = ex.getRequestHeaders().getFirst("Accept");
    return a == null ? "*/*" : a;
  }

  private static byte[] readBody(HttpExchange ex) throws IOException {
    InputStream in = ex.getRequestBody();
    String ce = ex.getRequestHeaders().getFirst("content-encoding");
    if ("gzip".equalsIgnoreCase(ce)) {
      in = new GZIPInputStream(in);
    }
    return in.readAllBytes();
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    if (type != null) {
      ex.getResponseHeaders().set("Content-Type", type);
    }
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream os = ex.getResponseBody()) {
        os.write(body);
      }
    }
    ex.close();
  }

  private static String decode(String s) {
    return s;
  }

  private static Map<String, List<String>> params(String q) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    if (q == null || q.isEmpty()) {
      return m;
    }
    for (String kv : q.split("&")) {
      int i = kv.indexOf('=');
      String k = URLDecoder.decode(i < 0 ? kv : kv.substring(0, i), StandardCharsets.UTF_8);
      String v = i < 0 ? "" : URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8);
      m.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    return m;
  }

  private static String first(Map<String, List<String>> p, String k) {
    List<String> v = p.get(k);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  record Response(int status, String type, byte[] body) {}

  static final String JL = "application/x-jsonlines; charset=UTF-8";
  static final String MP = "application/x-msgpack; charset=UTF-8";

  static Response ok() {
    return new Response(200, "text/plain; charset=UTF-8", new byte[0]);
  }

  static Response json(Object v) throws IOException {
    return new Response(200, "application/json; charset=UTF-8", JSON.writeValueAsBytes(v));
  }

  static Response lines(List<? extends JsonNode> docs) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (JsonNode d : docs) {
      out.write(JSON.writeValueAsBytes(d));
      out.write('\n');
    }
    return new Response(200, JL, out.toByteArray());
  }

  static Response msgpack(List<? extends JsonNode> docs) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (JsonNode d : docs) {
      out.write(MSGPACK.writeValueAsBytes(d));
    }
    return new Response(200, MP, out.toByteArray());
  }

  static Response error(int status, String text) {
    return new Response(status, "text/plain; charset=UTF-8", (text + "\n").getBytes(StandardCharsets.UTF_8));
  }

  static List<JsonNode> parseLines(byte[] body) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String l : new String(body, StandardCharsets.UTF_8).split("\n")) {
      if (!l.isBlank()) {
        out.add(JSON.readTree(l));
      }
    }
    return out;
  }

  private Response route(String method, String path, Map<String, List<String>> q, byte[] body, String accept) throws IOException {
    String[] s = path.substring(1).split("/");
    switch (s[0]) {
      case "collections":
        return Collections0.route(this, method, s, q, body, accept);
      case "hcf":
        return Hcf.route(this, method, s, q, body);
      case "activity":
        return activity(method, q, body);
      case "projects":
        return projects(method, s, q, body);
      case "items":
      case "logs":
      case "requests":
      case "samples":
        return JobData0.route(this, method, s, q, body, accept);
      default:
        return error(404, "Not Found");
    }
  }

  private Response activity(String method, Map<String, List<String>> q, byte[] body) throws IOException {
    if (method.equals("POST")) {
      activity.addAll(parseLines(body));
      return ok();
    }
    List<JsonNode> out = new ArrayList<>();
    int count = first(q, "count") == null ? Integer.MAX_VALUE : Integer.parseInt(first(q, "count"));
    for (int i = activity.size() - 1; i >= 0 && out.size() < count; i--) {
      out.add(activity.get(i));
    }
    return lines(out);
  }

  private Response projects(String method, String[] s, Map<String, List<String>> q, byte[] body) throws IOException {
    if (s[1].equals("jobsummaries")) {
      ArrayNode a = JSON.createArrayNode();
      a.addObject().put("project", 2222222).put("pending", 1).put("running", 2).put("finished", 3).put("has_capacity", true);
      return json(a);
    }
    long p = Long.parseLong(s[1]);
    if (s[2].equals("jobsummary")) {
      return json(JSON.createObjectNode().put("project", p).put("running_units_count", 0).put("running", 0).put("pending", 4)
          .put("finished", 5).putNull("pending_units_max").put("has_capacity", false));
    }
    ObjectNode st = settings.computeIfAbsent(p, x -> JSON.createObjectNode());
    if (s.length == 3) {
      if (method.equals("POST")) {
        settings.put(p, (ObjectNode) parseLines(body).get(0));
        return ok();
      }
      return json(st);
    }
    if (method.equals("DELETE")) {
      st.remove(s[3]);
      return ok();
    }
    JsonNode v = st.get(s[3]);
    return new Response(200, "application/json", JSON.writeValueAsBytes(v == null ? JSON.nullNode() : v));
  }

  static String first0(Map<String, List<String>> p, String k) {
    return first(p, k);
  }
}
