package io.scrapinghubio.client.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.core.RetryPolicy;
import io.scrapinghubio.client.ScrapinghubClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * Serves the interactions of one recorded cassette (python-scrapinghub 2.8.0 test suite) in order
 * from a JDK {@code HttpServer}, checking that each request our client sends is the recorded one:
 * method, path, query parameters (order-insensitive; a scenario may allow extra paging parameters),
 * {@code Accept} type, Basic auth, and, for bodies, the same JSON documents.
 *
 * <p>Interactions a scenario does not replay (calls owned by other modules) are skipped with a
 * reason; synthetic ones (e.g. the empty page that ends a robust scan) are inserted explicitly.
 */
final class CassetteReplayer implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String KEY = "f".repeat(32);
  static final String BASIC_F = "Basic " + Base64.getEncoder().encodeToString((KEY + ":").getBytes(StandardCharsets.UTF_8));

  static final class Interaction {
    String method;
    String path;
    Map<String, List<String>> query;
    String accept;
    String auth;
    byte[] requestBody;
    int status;
    String contentType;
    byte[] responseBody;
    Set<String> extraParams = new HashSet<>();
    boolean checkBody = true;
    String label;
  }

  private final List<Interaction> expected = new ArrayList<>();
  private final List<String> mismatches = new ArrayList<>();
  final List<String> skipped = new ArrayList<>();
  private int next;
  private final HttpServer server;
  private final String name;

  CassetteReplayer(String resource) throws IOException {
    this.name = resource;
    try (InputStream in = getClass().getResourceAsStream("/cassettes/" + resource)) {
      if (in == null) {
        throw new IOException("missing cassette resource " + resource);
      }
      JsonNode root = JSON.readTree(in);
      int i = 0;
      for (JsonNode it : root.get("interactions")) {
        expected.add(parse(it, "#" + i++));
      }
    }
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  private static Interaction parse(JsonNode it, String label) throws IOException {
    Interaction x = new Interaction();
    JsonNode rq = it.get("request");
    URI u = URI.create(rq.get("uri").asText());
    x.method = rq.get("method").asText();
    x.path = u.getRawPath();
    x.query = params(u.getRawQuery());
    x.accept = first(rq.get("headers"), "Accept");
    x.auth = first(rq.get("headers"), "Authorization");
    x.requestBody = bytes(rq.get("body"));
    JsonNode rs = it.get("response");
    x.status = rs.get("status").get("code").asInt();
    x.contentType = first(rs.get("headers"), "Content-Type");
    x.responseBody = bytes(rs.get("body").get("string"));
    x.label = label;
    return x;
  }

  private static String first(JsonNode headers, String name) {
    JsonNode v = headers.get(name);
    return v == null || v.size() == 0 ? null : v.get(0).asText();
  }

  /** Body bytes, gunzipped when they are a gzip stream (recorded as the server/client sent them). */
  static byte[] bytes(JsonNode b) throws IOException {
    if (b == null || b.isNull()) {
      return new byte[0];
    }
    byte[] raw = b.isObject() ? Base64.getDecoder().decode(b.get("__bytes_b64__").asText()) : b.asText().getBytes(StandardCharsets.UTF_8);
    if (raw.length > 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b) {
      raw = new GZIPInputStream(new ByteArrayInputStream(raw)).readAllBytes();
    }
    return raw;
  }

  static Map<String, List<String>> params(String q) {
    Map<String, List<String>> m = new TreeMap<>();
    if (q == null || q.isEmpty()) {
      return m;
    }
    for (String kv : q.split("&")) {
      int i = kv.indexOf('=');
      String k = URLDecoder.decode(i < 0 ? kv : kv.substring(0, i), StandardCharsets.UTF_8);
      String v = i < 0 ? "" : URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8);
      m.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    m.values().forEach(l -> l.sort(null));
    return m;
  }

  Interaction at(int i) {
    return expected.stream().filter(x -> x.label.equals("#" + i)).findFirst().orElseThrow();
  }

  /** Leaves recorded interaction {@code i} out, saying why. */
  CassetteReplayer skip(int i, String why) {
    Interaction x = at(i);
    expected.remove(x);
    skipped.add(name + " " + x.label + " " + x.method + " " + x.path + ": " + why);
    return this;
  }

  /** Lets recorded interaction {@code i} carry extra query parameters (our paging: count, startafter). */
  CassetteReplayer allowExtra(int i, String... params) {
    at(i).extraParams.addAll(List.of(params));
    return this;
  }

  CassetteReplayer ignoreBody(int i) {
    at(i).checkBody = false;
    return this;
  }

  /** Inserts a synthetic interaction after recorded one {@code afterIndex} (answers {@code body}). */
  CassetteReplayer insertAfter(int afterIndex, String method, String pathAndQuery, int status, String type, String body,
      String... extra) {
    Interaction x = new Interaction();
    URI u = URI.create("http://h" + pathAndQuery);
    x.method = method;
    x.path = u.getRawPath();
    x.query = params(u.getRawQuery());
    x.status = status;
    x.contentType = type;
    x.responseBody = body.getBytes(StandardCharsets.UTF_8);
    x.requestBody = new byte[0];
    x.checkBody = false;
    x.extraParams.addAll(List.of(extra));
    x.label = "synthetic after #" + afterIndex;
    expected.add(expected.indexOf(at(afterIndex)) + 1, x);
    return this;
  }

  ScrapinghubClient client() {
    return client(ClientConfig.builder());
  }

  ScrapinghubClient client(ClientConfig.Builder b) {
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    return ScrapinghubClient.create(b.apiKey(KEY).storageEndpoint(url).dashEndpoint(url + "api/")
        .retryPolicy(RetryPolicy.none()).readTimeout(Duration.ofSeconds(5)).build());
  }

  private synchronized void handle(HttpExchange ex) throws IOException {
    byte[] body = ex.getRequestBody().readAllBytes();
    if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("content-encoding"))) {
      body = new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes();
    }
    String got = ex.getRequestMethod() + " " + ex.getRequestURI();
    if (next >= expected.size()) {
      mismatches.add("unexpected extra request " + got);
      send(ex, 599, "text/plain", "no more recorded interactions".getBytes());
      return;
    }
    Interaction x = expected.get(next++);
    List<String> problems = new ArrayList<>();
    if (!x.method.equals(ex.getRequestMethod()) || !x.path.equals(ex.getRequestURI().getRawPath())) {
      problems.add("method/path");
    }
    Map<String, List<String>> q = params(ex.getRequestURI().getRawQuery());
    for (Map.Entry<String, List<String>> e : x.query.entrySet()) {
      if (!e.getValue().equals(q.get(e.getKey()))) {
        problems.add("query " + e.getKey() + "=" + e.getValue() + " but sent " + q.get(e.getKey()));
      }
    }
    for (String k : q.keySet()) {
      if (!x.query.containsKey(k) && !x.extraParams.contains(k)) {
        problems.add("unrecorded query parameter " + k + "=" + q.get(k));
      }
    }
    String accept = ex.getRequestHeaders().getFirst("Accept");
    if (x.accept != null && x.accept.contains("msgpack") != (accept != null && accept.contains("msgpack"))) {
      problems.add("Accept " + accept + " but recorded " + x.accept);
    }
    // Only the suite's normalised key is comparable (some calls were recorded with a job's JWT auth).
    if (x.auth != null && x.auth.equals(BASIC_F) && !x.auth.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
      problems.add("Authorization differs");
    }
    if (x.checkBody && x.requestBody.length > 0) {
      try {
        if (!lines(x.requestBody).equals(lines(body))) {
          problems.add("body " + new String(body, StandardCharsets.UTF_8) + " but recorded "
              + new String(x.requestBody, StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        problems.add("body not comparable: " + e);
      }
    }
    if (!problems.isEmpty()) {
      mismatches.add(name + " " + x.label + " expected " + x.method + " " + x.path + " " + x.query + ", got " + got + ": " + problems);
    }
    send(ex, x.status, x.contentType, x.responseBody);
  }

  static List<JsonNode> lines(byte[] b) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String l : new String(b, StandardCharsets.UTF_8).split("\n")) {
      if (!l.isBlank()) {
        out.add(JSON.readTree(l));
      }
    }
    return out;
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

  /** Every recorded (non-skipped) interaction was requested, in order, as recorded. */
  void verify() {
    List<String> problems = new ArrayList<>(mismatches);
    if (next < expected.size()) {
      problems.add(name + ": " + (expected.size() - next) + " recorded interactions never requested, first "
          + expected.get(next).label + " " + expected.get(next).method + " " + expected.get(next).path + " " + expected.get(next).query);
    }
    if (!problems.isEmpty()) {
      throw new AssertionError(String.join("\n", problems));
    }
  }

  int served() {
    return next;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
