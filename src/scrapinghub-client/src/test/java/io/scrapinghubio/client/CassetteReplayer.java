package io.scrapinghubio.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.core.RetryPolicy;
import java.io.ByteArrayInputStream;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Serves a recorded cassette of python-scrapinghub's test suite (2.8.0: the client's and
 * hubstorage's tests) to our client, like vcrpy's playback: each request is matched to the first
 * not-yet-played interaction with the same method, path and (order-insensitive) query, and
 * answered with the recorded status, content type, content encoding and body bytes. The recorded
 * hosts (storage {@code storage.vm.scrapinghub.com}, app API {@code 33.33.33.51:8080/api/}) become
 * {@code http://127.0.0.1:PORT/} and {@code http://127.0.0.1:PORT/api/}.
 *
 * <p>Every matched request is also checked against the recording: the {@code Accept} type (JSON
 * or msgpack, as recorded), the API key of a recorded Basic auth, and, where the recorded body is
 * JSON (lines), the same JSON documents. {@link #inRecordedOrder()} also requires the recorded
 * order.
 *
 * <p>Where our client legitimately talks differently (it pages with {@code start=&count=}, some
 * calls belong to other parts of the platform, it confirms the end of a read with one more
 * request), the test says so explicitly with {@link #skip}, {@link #expectQuery},
 * {@link #allowExtra}, {@link #ignoreBody}, {@link #insert} and {@link #insertAfter}, so every
 * difference is visible at the call site. A request nothing matches is answered 599 and recorded
 * as an error; {@link #assertComplete()} fails on errors and on interactions never played.
 */
final class CassetteReplayer implements AutoCloseable {
  static final String RECORDED_STORAGE = "http://storage.vm.scrapinghub.com";
  static final String RECORDED_DASH = "http://33.33.33.51:8080";
  /** The suite's normalised key: {@code "f" * 32}. */
  static final String KEY = "f".repeat(32);
  private static final ObjectMapper M = new ObjectMapper();
  /** The user of a job's own Basic auth ({@code P/S/J:<JWT>}), which the platform's runner sends. */
  private static final Pattern JOB_KEY = Pattern.compile("\\d+/\\d+/\\d+");

  static {
    // the JDK server otherwise waits for delayed ACKs: ~40 ms per small exchange
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /** The two recorded test suites of python-scrapinghub, as folders of the cassettes resource. */
  enum Suite {
    /** {@code tests/client}: the ScrapinghubClient API. */
    CLIENT("tests/client/cassetes/"),
    /** {@code tests/hubstorage}: the lower-level storage API. */
    HUBSTORAGE("tests/hubstorage/cassetes/");

    final String folder;

    Suite(String folder) {
      this.folder = folder;
    }
  }

  /** One interaction, recorded or synthetic. */
  static final class Interaction {
    final int index; // position in the cassette, or -1 for a synthetic one
    final String method;
    final String path;
    volatile TreeMap<String, List<String>> query;
    /** Query parameters our client may add to the recorded ones (e.g. paging bounds). */
    final Set<String> extraParams = ConcurrentHashMap.newKeySet();
    final String recordedAccept;
    final String recordedAuth;
    final byte[] requestBody;
    final int status;
    final String contentType;
    final String contentEncoding;
    final byte[] responseBody;
    volatile boolean checkBody = true;
    volatile boolean played;
    volatile boolean skipped;
    volatile boolean optional; // may go unrequested (see insertOptional)

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

    /** The recorded request body as JSON documents, one a line. */
    List<JsonNode> requestJsonLines() {
      return requestBody == null ? List.of() : jsonLines(gunzipIfNeeded(requestBody));
    }

    /** Whether {@code sent} is this interaction's query: the recorded one plus allowed extra parameters. */
    boolean queryMatches(TreeMap<String, List<String>> sent) {
      TreeMap<String, List<String>> expected = query;
      TreeMap<String, List<String>> compared = new TreeMap<>(sent);
      compared.keySet().removeIf(k -> extraParams.contains(k) && !expected.containsKey(k));
      return compared.equals(expected);
    }

    boolean matches(String method, String path, TreeMap<String, List<String>> query) {
      return this.method.equals(method) && this.path.equals(path) && queryMatches(query);
    }

    @Override
    public String toString() {
      return (index >= 0 ? "#" + index : "synthetic") + " " + method + " " + path + " " + query;
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
  private final List<Interaction> interactions = new CopyOnWriteArrayList<>();
  private final List<Served> served = new CopyOnWriteArrayList<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private final List<String> skipReasons = new CopyOnWriteArrayList<>();
  private volatile boolean inRecordedOrder;
  private final HttpServer server;

  private CassetteReplayer(Suite suite, String cassette) throws IOException {
    this.name = cassette;
    JsonNode root;
    try (InputStream in = CassetteReplayer.class.getResourceAsStream("/cassettes/" + suite.folder + cassette)) {
      if (in == null) {
        throw new IllegalArgumentException("no cassette " + suite.folder + cassette);
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

  /** Replays a cassette of the client suite ({@code tests/client/cassetes/<cassette>}). */
  static CassetteReplayer start(String cassette) {
    return start(Suite.CLIENT, cassette);
  }

  static CassetteReplayer start(Suite suite, String cassette) {
    try {
      return new CassetteReplayer(suite, cassette);
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
    return connect(ClientConfig.builder().apiKey(key));
  }

  /** A client with these settings (e.g. a read format) and the suite's key, pointed at this replayer. */
  ScrapinghubClient client(ClientConfig.Builder settings) {
    return connect(settings.apiKey(KEY));
  }

  private ScrapinghubClient connect(ClientConfig.Builder settings) {
    return ScrapinghubClient.create(settings.storageEndpoint(storageUrl()).dashEndpoint(dashUrl())
        .retryPolicy(RetryPolicy.none()).readTimeout(Duration.ofSeconds(10)).build());
  }

  /**
   * Requests must come in the recorded order (skipped interactions aside, synthetic ones where
   * {@link #insertAfter} put them): for scenarios whose calls are sequential by nature.
   */
  CassetteReplayer inRecordedOrder() {
    inRecordedOrder = true;
    return this;
  }

  Interaction interaction(int i) {
    for (Interaction it : interactions) {
      if (it.index == i) {
        return it;
      }
    }
    throw new IndexOutOfBoundsException(name + " has no interaction #" + i);
  }

  /** Interactions our client does not make (say why at the call site). */
  CassetteReplayer skip(int... indices) {
    for (int i : indices) {
      interaction(i).skipped = true;
    }
    return this;
  }

  /** An interaction our client does not make, and why (listed by {@link #skipReasons()}). */
  CassetteReplayer skip(int i, String why) {
    Interaction it = interaction(i);
    it.skipped = true;
    skipReasons.add(name + " #" + i + " " + it.method + " " + it.path + ": " + why);
    return this;
  }

  /** Interactions left out with a reason, for a report of what is not replayed. */
  List<String> skipReasons() {
    return Collections.unmodifiableList(skipReasons);
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
    interaction(i).query = parseQuery(rawQuery);
    return this;
  }

  /** Lets interaction {@code i} carry these query parameters besides the recorded ones (our paging: count, startafter). */
  CassetteReplayer allowExtra(int i, String... params) {
    interaction(i).extraParams.addAll(List.of(params));
    return this;
  }

  /** Does not compare the body of interaction {@code i} (the test compares it its own way). */
  CassetteReplayer ignoreBody(int i) {
    interaction(i).checkBody = false;
    return this;
  }

  /**
   * A request our client makes that python's did not, answered with a synthetic response (e.g.
   * the empty page that confirms the end of a read: the service answers an empty JSON-lines body
   * past the last record, as recorded in {@code test_logs_base-json} #1). Matched in any order.
   */
  CassetteReplayer insert(String method, String path, String rawQuery, int status, String contentType, String body) {
    interactions.add(synthetic(method, path, rawQuery, null, status, contentType, body));
    return this;
  }

  /**
   * As {@link #insert}, for a request our client may or may not send: the rest-of-job request a
   * read sends beside its first page, cancelled when that page already held the whole job.
   */
  CassetteReplayer insertOptional(String method, String path, String rawQuery, int status, String contentType, String body) {
    Interaction it = synthetic(method, path, rawQuery, null, status, contentType, body);
    it.optional = true;
    interactions.add(it);
    return this;
  }

  /**
   * Like {@link #insert}, right after recorded interaction {@code afterIndex} (where
   * {@link #inRecordedOrder()} expects it) and asking for the same type (JSON or msgpack), with
   * query parameters our client may add.
   */
  CassetteReplayer insertAfter(int afterIndex, String method, String pathAndQuery, int status, String contentType,
      String body, String... extraParams) {
    Interaction before = interaction(afterIndex);
    URI u = URI.create("http://replayer" + pathAndQuery);
    Interaction it = synthetic(method, u.getRawPath(), u.getRawQuery(), before.recordedAccept, status, contentType, body);
    it.extraParams.addAll(List.of(extraParams));
    synchronized (this) {
      interactions.add(interactions.indexOf(before) + 1, it);
    }
    return this;
  }

  /** An interaction python never made; {@code accept} null means a JSON read. */
  private static Interaction synthetic(String method, String path, String rawQuery, String accept, int status,
      String contentType, String body) {
    return new Interaction(-1, method, path, parseQuery(rawQuery), accept, null, null, status, contentType, null,
        body.getBytes(StandardCharsets.UTF_8));
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
    throw new AssertionError(name + ": interaction " + interaction(i) + " was never requested");
  }

  /** No unmatched or mismatching request, every non-skipped interaction played. */
  void assertComplete() {
    if (!errors.isEmpty()) {
      throw new AssertionError(name + ": " + String.join("\n", errors));
    }
    List<String> missing = new ArrayList<>();
    for (Interaction it : interactions) {
      if (!it.skipped && !it.played && !it.optional) {
        missing.add(it.toString());
      }
    }
    if (!missing.isEmpty()) {
      throw new AssertionError(name + ": never requested: " + missing);
    }
  }

  /** The interaction this request plays (marked played), or null after noting why none does. */
  private synchronized Interaction match(String method, String path, TreeMap<String, List<String>> query) {
    for (Interaction it : interactions) {
      if (it.played || it.skipped) {
        continue;
      }
      if (it.matches(method, path, query)) {
        it.played = true;
        return it;
      }
      if (inRecordedOrder) {
        errors.add("expected " + it + " (recorded order), got " + method + " " + path + " " + query);
        return null;
      }
    }
    errors.add("unexpected request " + method + " " + path + " " + query);
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
        byte[] msg = "no recorded interaction matches".getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(599, msg.length);
        ex.getResponseBody().write(msg);
        return;
      }
      checkAgainstRecording(it, accept, auth, "gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))
          ? gunzipIfNeeded(body) : body);
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

  /** Notes where a matched request differs from the recorded one (it is still answered as recorded). */
  private void checkAgainstRecording(Interaction it, String accept, String auth, byte[] body) {
    if (isMsgpack(it.recordedAccept) != isMsgpack(accept)) {
      errors.add("Accept " + accept + " on " + it + ", but python sent " + it.recordedAccept);
    }
    // A job's own token (runner calls) is not ours to send: our client authenticates with the API key.
    if (it.recordedAuth != null && !isJobToken(it.recordedAuth) && !it.recordedAuth.equals(auth)) {
      errors.add("Authorization differs on " + it + ": expected the recorded Basic header");
    }
    if (it.checkBody && it.requestBody != null && it.requestBody.length > 0) {
      List<JsonNode> recorded = jsonLinesOrNull(gunzipIfNeeded(it.requestBody));
      // Bodies recorded as forms are compared by the tests themselves (their JSON fields as JSON).
      if (recorded != null && !recorded.equals(jsonLinesOrNull(body))) {
        errors.add("body on " + it + " is " + new String(body, StandardCharsets.UTF_8) + " but python sent "
            + it.requestText());
      }
    }
  }

  private static boolean isMsgpack(String accept) {
    return accept != null && accept.contains("msgpack");
  }

  private static boolean isJobToken(String authorization) {
    if (!authorization.startsWith("Basic ")) {
      return false;
    }
    String user = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8).split(":")[0];
    return JOB_KEY.matcher(user).matches();
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
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** JSON documents, one a line (blank lines ignored). */
  static List<JsonNode> jsonLines(byte[] b) {
    List<JsonNode> lines = jsonLinesOrNull(b);
    if (lines == null) {
      throw new IllegalArgumentException("not JSON lines: " + new String(b, StandardCharsets.UTF_8));
    }
    return lines;
  }

  private static List<JsonNode> jsonLinesOrNull(byte[] b) {
    List<JsonNode> out = new ArrayList<>();
    for (String l : new String(b, StandardCharsets.UTF_8).split("\n")) {
      if (l.isBlank()) {
        continue;
      }
      try {
        out.add(M.readTree(l));
      } catch (IOException e) {
        return null;
      }
    }
    return out;
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
