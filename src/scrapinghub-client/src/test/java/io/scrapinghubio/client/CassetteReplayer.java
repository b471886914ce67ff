package io.scrapinghubio.client;

import io.scrapinghubio.client.core.RetryPolicy;

import io.scrapinghubio.client.core.ClientConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * Serves a recorded cassette of python-scrapinghub's test suite to our client, like vcrpy's
 * playback: each request is matched to the first not-yet-played interaction with the same
 * method, path and (order-insensitive) query, and answered with the recorded status, content type,
 * content encoding and body bytes. The recorded hosts (storage {@code storage.vm.scrapinghub.com},
 * app API {@code 33.33.33.51:8080/api/}) become {@code http://127.0.0.1:PORT/} and
 * {@code http://127.0.0.1:PORT/api/}.
 *
 * <p>Where our client legitimately talks differently (it pages with {@code start=&count=}, it makes
 * no writes through the batch writers, it confirms the end of a read with one more request), the
 * test says so explicitly with {@link #skip}, {@link #expectQuery} and {@link #insert}, so every
 * difference is visible at the call site. A request nothing matches is answered 599 and recorded
 * as an error; {@link #assertComplete()} fails on errors and on interactions never played.
 */
final class CassetteReplayer implements AutoCloseable {
  static final String RECORDED_STORAGE = "http://storage.vm.scrapinghub.com";
  static final String RECORDED_DASH = "http://33.33.33.51:8080";
  /** The suite's normalised key: {@code "f" * 32}. */
  static final String KEY = "f".repeat(32);
  private static final ObjectMapper M = new ObjectMapper();

  static {
    // the JDK server otherwise waits for delayed ACKs: ~40 ms per small exchange
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /** One interaction, recorded or synthetic. */
  static final class Interaction {
    final int index; // position in the cassette, or -1 for a synthetic one
    final String method;
    final String path;
    volatile TreeMap<String, List<String>> query;
    final String recordedAccept;
    final String recordedAuth;
    final byte[] requestBody;
    final int status;
    final String contentType;
    final String contentEncoding;
    final byte[] responseBody;
    volatile boolean played;
    volatile boolean skipped;
    volatile Served servedAs;

    Interaction(int index, String method, String path, TreeMap<String, List<String>> query, String accept, String auth,
        byte[] requestBody, int status, String contentType, String contentEncoding, byte[] responseBody) {
      this.index = index;
      this.method = method;
      this.path = path;
      this.query = query;
      this.recordedAccept = accept;
      this.recordedAuth = auth;
      this.requestBody = requestBody;
      this.status = status;
      this.contentType = contentType;
      this.contentEncoding = contentEncoding;
      this.responseBody = responseBody;
    }

    /** The recorded request body as text (gunzipped if needed). */
    String requestText() {
      return requestBody == null ? null : new String(gunzipIfNeeded(requestBody), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "#" + index + " " + method + " " + path + " " + query;
    }
  }

  /** What our client actually sent. */
  record Served(int interaction, String method, String path, TreeMap<String, List<String>> query, String accept,
      String authorization, String contentType, byte[] body) {
    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** Decoded form fields of an {@code application/x-www-form-urlencoded} body, order-insensitive per name. */
    TreeMap<String, List<String>> form() {
      return parseQuery(bodyText());
    }
  }

  private final String name;
  private final List<Interaction> interactions = new ArrayList<>();
  private final List<Served> served = new CopyOnWriteArrayList<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  private CassetteReplayer(String resource) throws IOException {
    this.name = resource;
    JsonNode root;
    try (InputStream in = CassetteReplayer.class.getResourceAsStream("/cassettes/tests/client/cassetes/" + resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no cassette " + resource);
      }
      root = M.readTree(in);
    }
    int i = 0;
    for (JsonNode it : root.path("interactions")) {
      JsonNode rq = it.path("request");
      JsonNode rs = it.path("response");
      URI uri = URI.create(rq.path("uri").asText());
      interactions.add(new Interaction(i++, rq.path("method").asText(), uri.getRawPath(), parseQuery(uri.getRawQuery()),
          header(rq, "Accept"), header(rq, "Authorization"), bytes(rq.path("body")), rs.path("status").path("code").asInt(),
          header(rs, "Content-Type"), header(rs, "Content-Encoding"), bytes(rs.path("body").path("string"))));
    }
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  static CassetteReplayer start(String resource) {
    try {
      return new CassetteReplayer(resource);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String storageUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  String dashUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/";
  }

  /** A client pointed at this replayer, with the suite's key and no retries (replay is exact). */
  ScrapinghubClient client() {
    return client(KEY);
  }

  ScrapinghubClient client(String key) {
    return ScrapinghubClient.create(ClientConfig.builder().apiKey(key).storageEndpoint(storageUrl())
        .dashEndpoint(dashUrl()).retryPolicy(RetryPolicy.none()).readTimeout(Duration.ofSeconds(10)).build());
  }

  Interaction interaction(int i) {
    return interactions.get(i);
  }

  /** Interactions our client does not make (say why at the call site). */
  CassetteReplayer skip(int... indices) {
    for (int i : indices) {
      interactions.get(i).skipped = true;
    }
    return this;
  }

  /** Every interaction except these: for tests exercising a few calls of a long scenario. */
  CassetteReplayer only(int... indices) {
    Set<Integer> keep = new HashSet<>();
    for (int i : indices) {
      keep.add(i);
    }
    for (Interaction it : interactions) {
      if (it.index >= 0 && !keep.contains(it.index)) {
        it.skipped = true;
      }
    }
    return this;
  }

  /** Our client's query for interaction {@code i} differs from python's (say why at the call site). */
  CassetteReplayer expectQuery(int i, String rawQuery) {
    interactions.get(i).query = parseQuery(rawQuery);
    return this;
  }

  /**
   * A request our client makes that python's did not, answered with a synthetic response (e.g.
   * the empty page that confirms the end of a read: the service answers an empty JSON-lines body
   * past the last record, as recorded in {@code test_logs_base-json} #1).
   */
  CassetteReplayer insert(String method, String path, String rawQuery, int status, String contentType, String body) {
    interactions.add(new Interaction(-1, method, path, parseQuery(rawQuery), null, null, null, status, contentType, null,
        body.getBytes(StandardCharsets.UTF_8)));
    return this;
  }

  List<Served> served() {
    return Collections.unmodifiableList(served);
  }

  /** What our client sent for cassette interaction {@code i}. */
  Served servedFor(int i) {
    for (Served s : served) {
      if (s.interaction() == i) {
        return s;
      }
    }
    throw new AssertionError(name + ": interaction #" + i + " " + interactions.get(i) + " was never requested");
  }

  /** No unmatched request, every non-skipped interaction played, auth as recorded. */
  void assertComplete() {
    if (!errors.isEmpty()) {
      throw new AssertionError(name + ": " + String.join("\n", errors));
    }
    List<String> missing = new ArrayList<>();
    for (Interaction it : interactions) {
      if (!it.skipped && !it.played) {
        missing.add(it.toString());
      }
    }
    if (!missing.isEmpty()) {
      throw new AssertionError(name + ": never requested: " + missing);
    }
  }

  private synchronized Interaction match(String method, String path, TreeMap<String, List<String>> query) {
    for (Interaction it : interactions) {
      if (!it.played && !it.skipped && it.method.equals(method) && it.path.equals(path) && it.query.equals(query)) {
        it.played = true;
        return it;
      }
    }
    return null;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getRawPath();
      TreeMap<String, List<String>> query = parseQuery(ex.getRequestURI().getRawQuery());
      byte[] body = ex.getRequestBody().readAllBytes();
      String accept = ex.getRequestHeaders().getFirst("Accept");
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      Interaction it = match(method, path, query);
      served.add(new Served(it == null ? -2 : it.index, method, path, query, accept, auth,
          ex.getRequestHeaders().getFirst("Content-Type"), body));
      if (it == null) {
        errors.add("unexpected request " + method + " " + path + " " + query);
        byte[] msg = "no recorded interaction matches".getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(599, msg.length);
        ex.getResponseBody().write(msg);
        return;
      }
      if (accept != null && accept.contains("msgpack")) {
        errors.add("client asked for msgpack on " + it);
      }
      if (it.recordedAuth != null && !it.recordedAuth.equals(auth)) {
        errors.add("Authorization differs on " + it + ": expected the recorded Basic header");
      }
      byte[] out = it.responseBody == null ? new byte[0] : it.responseBody;
      if (it.contentType != null) {
        ex.getResponseHeaders().set("Content-Type", it.contentType);
      }
      boolean gz = out.length >= 2 && (out[0] & 0xff) == 0x1f && (out[1] & 0xff) == 0x8b;
      if (it.contentEncoding != null && gz) {
        ex.getResponseHeaders().set("Content-Encoding", it.contentEncoding); // served as recorded: still gzipped
      }
      ex.sendResponseHeaders(it.status, out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        try (OutputStream os = ex.getResponseBody()) {
          os.write(out);
        }
      }
    } catch (RuntimeException e) {
      errors.add("replayer failure: " + e);
      throw e;
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }

  // ------------------------------------------------------------------ helpers

  private static String header(JsonNode msg, String name) {
    JsonNode h = msg.path("headers");
    for (var it = h.fields(); it.hasNext(); ) {
      var e = it.next();
      if (e.getKey().equalsIgnoreCase(name) && e.getValue().size() > 0) {
        return e.getValue().get(0).asText();
      }
    }
    return null;
  }

  private static byte[] bytes(JsonNode body) {
    if (body == null || body.isNull() || body.isMissingNode()) {
      return null;
    }
    if (body.isObject() && body.has("__bytes_b64__")) {
      return Base64.getDecoder().decode(body.get("__bytes_b64__").asText());
    }
    return body.asText().getBytes(StandardCharsets.UTF_8);
  }

  static byte[] gunzipIfNeeded(byte[] b) {
    if (b.length < 2 || (b[0] & 0xff) != 0x1f || (b[1] & 0xff) != 0x8b) {
      return b;
    }
    try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(b))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Query (or form) text to a sorted multimap of decoded names to sorted values. */
  static TreeMap<String, List<String>> parseQuery(String raw) {
    TreeMap<String, List<String>> m = new TreeMap<>();
    if (raw == null || raw.isEmpty()) {
      return m;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      m.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    m.values().forEach(Collections::sort);
    return m;
  }
}
