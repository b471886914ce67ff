package io.scrapinghubio.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.emulator.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import okhttp3.Credentials;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays recorded scenarios (real service, python-scrapinghub test suite) against a fresh
 * emulator and checks each answer against the recorded one: same status, same content type, same
 * body shape (JSON keys and value types per line/document; exact text for non-JSON bodies).
 *
 * <p>Ids the emulator chooses (job keys, hcf batch ids) differ from the recorded ones; they are
 * learned from the answers and substituted into the following requests. Job summaries must have
 * exactly the recorded fields: nothing the real service would not send.
 */
class EmulatorRecordedShapesTest {
  private static final String KEY = "ffffffffffffffffffffffffffffffff";

  /**
   * Recorded scenarios whose answers depend on state from outside the scenario, so no emulator
   * started empty can give the same answer. They are replayed against the client instead.
   */
  static final Map<String, String> NOT_SELF_CONTAINED = Map.of(
      "test_activity_iter.json", "the recorded activity feed holds events of every earlier recorded test",
      "test_collections_list.json", "the recorded list holds collections made by other recorded tests",
      "test_frontier_newcount.json", "the recorded frontier list holds frontiers made by other recorded tests",
      "test_frontiers.json", "the recorded frontier list holds frontiers made by other recorded tests",
      "test_items_list_iter-json.json", "bodies name project 412118 while the URIs say 2222222 (normalisation gap)",
      "test_items_list_iter_with_start_and_count-json.json", "bodies name project 412118 while the URIs say 2222222",
      "test_items_list_iter_with_start_and_count_2-json.json", "bodies name project 412118 while the URIs say 2222222",
      "test_projects_list.json", "the recorded answer lists the recording account's projects");

  @TestFactory
  Stream<DynamicTest> recordedScenarios() throws IOException, URISyntaxException {
    URL root = getClass().getResource("/cassettes/tests");
    Path dir = Paths.get(root.toURI());
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(p -> p.toString().endsWith(".json"))
          .filter(p -> !NOT_SELF_CONTAINED.containsKey(p.getFileName().toString())).sorted().toList();
    }
    assertTrue(files.size() >= 40, "fixtures present");
    return files.stream().map(f -> DynamicTest.dynamicTest(dir.relativize(f).toString(), () -> replay(f)));
  }

  @SuppressWarnings("unchecked")
  private void replay(Path file) throws IOException {
    Map<String, Object> cassette = TestHttp.map(Json.parse(Files.readAllBytes(file)));
    List<Object> interactions = (List<Object>) cassette.get("interactions");
    try (ScrapyCloudEmulator emu = ScrapyCloudEmulator.builder().apiKey(KEY).start()) {
      emu.state().addSpider(2222222, "hs-test-spider");
      Map<String, String> ids = new TreeMap<>(Comparator.comparingInt(String::length).reversed().thenComparing(x -> x));
      int n = 0;
      for (Object o : interactions) {
        Map<String, Object> it = (Map<String, Object>) o;
        Map<String, Object> rq = (Map<String, Object>) it.get("request");
        Map<String, Object> rs = (Map<String, Object>) it.get("response");
        int status = ((Number) ((Map<String, Object>) rs.get("status")).get("code")).intValue();
        String where = file.getFileName() + " #" + n++ + " " + rq.get("method") + " " + rq.get("uri");
        if (status >= 500) {
          continue; // recorded server hiccups (504 retried by the client): not part of the protocol
        }
        if (((String) rq.get("uri")).contains("/botgroups/")) {
          continue; // botgroups admin API (hubstorage test fixture): no client feature uses it, the emulator does not serve it
        }
        TestHttp.Reply got = send(emu, rq, ids, status == 401);
        assertEquals(status, got.code(), where + "\n" + got.text());
        Map<String, List<String>> headers = (Map<String, List<String>>) rs.get("headers");
        assertEquals(header(headers, "Content-Type"), got.contentType(), where);
        byte[] recorded = bytes(((Map<String, Object>) rs.get("body")).get("string"));
        if (recorded.length > 2 && (recorded[0] & 0xff) == 0x1f && (recorded[1] & 0xff) == 0x8b) {
          recorded = TestHttp.gunzip(recorded);
        }
        compareBodies(recorded, got, ids, where);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static TestHttp.Reply send(ScrapyCloudEmulator emu, Map<String, Object> rq, Map<String, String> ids,
      boolean badKey) {
    String uri = (String) rq.get("uri");
    uri = uri.replace("http://storage.vm.scrapinghub.com/", emu.storageUrl())
        .replace("http://33.33.33.51:8080/", emu.storageUrl());
    uri = substitute(uri, ids, true);
    Map<String, List<String>> headers = (Map<String, List<String>>) rq.get("headers");
    byte[] body = bytes(rq.get("body"));
    String enc = header(headers, "content-encoding");
    if ("gzip".equals(enc) && body.length > 0) {
      body = TestHttp.gunzip(body); // substitute ids in plain text, then send it plain
    }
    body = substitute(new String(body, StandardCharsets.UTF_8), ids, true).getBytes(StandardCharsets.UTF_8);
    String method = (String) rq.get("method");
    String ct = header(headers, "Content-Type");
    Request.Builder b = new Request.Builder().url(uri);
    if (header(headers, "Authorization") != null || badKey) {
      // As recorded: requests sent without credentials (system/ts) are replayed without them.
      b.header("Authorization", Credentials.basic(badKey ? "wrong" : KEY, ""));
    }
    String accept = header(headers, "Accept");
    if (accept != null) {
      b.header("Accept", accept);
    }
    RequestBody rb = RequestBody.create(body, ct == null ? null : MediaType.get(ct));
    if (method.equals("GET") || method.equals("DELETE") && body.length == 0) {
      b.method(method, null);
    } else {
      b.method(method, rb);
    }
    return TestHttp.exec(b.build());
  }

  /** Replaces recorded ids by the emulator's (longest first; also their %2F-encoded forms). */
  private static String substitute(String s, Map<String, String> ids, boolean uri) {
    for (Map.Entry<String, String> e : ids.entrySet()) {
      s = s.replaceAll(java.util.regex.Pattern.quote(e.getKey()) + "(?![0-9a-f])",
          java.util.regex.Matcher.quoteReplacement(e.getValue()));
      if (uri) {
        s = s.replaceAll(java.util.regex.Pattern.quote(e.getKey().replace("/", "%2F")) + "(?![0-9a-f])",
            java.util.regex.Matcher.quoteReplacement(e.getValue().replace("/", "%2F")));
      }
    }
    return s;
  }

  private static void compareBodies(byte[] recorded, TestHttp.Reply got, Map<String, String> ids, String where) {
    String ct = got.contentType() == null ? "" : got.contentType();
    if (ct.startsWith("application/x-msgpack")) {
      try {
        List<Object> a = EmulatorRecordsTest.unpackAll(recorded);
        List<Object> b = EmulatorRecordsTest.unpackAll(got.body());
        assertEquals(shapes(a, a), shapes(b, a), where);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return;
    }
    List<Object> a = parseAll(recorded);
    List<Object> b = parseAll(got.body());
    if (a == null || b == null) {
      assertEquals(new String(recorded, StandardCharsets.UTF_8), got.text(), where);
      return;
    }
    learnIds(a, b, ids);
    assertEquals(shapes(a, a), shapes(b, a), where + "\nrecorded: " + a + "\nemulator: " + b);
  }

  /** JSON documents of a body (one per line); null when it is not JSON. */
  private static List<Object> parseAll(byte[] body) {
    try {
      return Json.parseLines(body);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Pairs recorded and emulator values of id-like fields, to rewrite later requests. */
  @SuppressWarnings("unchecked")
  private static void learnIds(List<Object> recorded, List<Object> got, Map<String, String> ids) {
    for (int i = 0; i < Math.min(recorded.size(), got.size()); i++) {
      if (recorded.get(i) instanceof Map && got.get(i) instanceof Map) {
        Map<String, Object> r = (Map<String, Object>) recorded.get(i);
        Map<String, Object> g = (Map<String, Object>) got.get(i);
        for (String k : List.of("jobid", "key", "id")) {
          if (r.get(k) instanceof String && g.get(k) instanceof String && !r.get(k).equals(g.get(k))) {
            ids.put((String) r.get(k), (String) g.get(k));
          }
        }
      }
    }
  }

  /** Shape of the documents: keys and JSON types, recursively. */
  private static List<Object> shapes(List<Object> docs, List<Object> reference) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      out.add(shape(docs.get(i), i < reference.size() ? reference.get(i) : null));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Object shape(Object v, Object ref) {
    if (v instanceof Map) {
      Map<String, Object> m = (Map<String, Object>) v;
      Map<String, Object> r = ref instanceof Map ? (Map<String, Object>) ref : Map.of();
      Map<String, Object> out = new TreeMap<>();
      for (Map.Entry<String, Object> e : m.entrySet()) {
        out.put(e.getKey(), shape(e.getValue(), r.get(e.getKey())));
      }
      return out;
    }
    if (v instanceof List) {
      List<Object> l = (List<Object>) v;
      List<Object> r = ref instanceof List ? (List<Object>) ref : List.of();
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < l.size(); i++) {
        out.add(shape(l.get(i), i < r.size() ? r.get(i) : null));
      }
      return out;
    }
    if (v == null) {
      return "null";
    }
    if (v instanceof Number) {
      return "number";
    }
    return v.getClass().getSimpleName();
  }

  /** First value of a recorded header; some recordings hold a bare string instead of a list. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private static String header(Map headers, String name) {
    for (Map.Entry<String, Object> e : ((Map<String, Object>) headers).entrySet()) {
      if (e.getKey().equalsIgnoreCase(name)) {
        Object v = e.getValue();
        if (v instanceof List) {
          return ((List<?>) v).isEmpty() ? null : String.valueOf(((List<?>) v).get(0));
        }
        return v == null ? null : String.valueOf(v);
      }
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static byte[] bytes(Object body) {
    if (body == null) {
      return new byte[0];
    }
    if (body instanceof Map) {
      return Base64.getDecoder().decode((String) ((Map<String, Object>) body).get("__bytes_b64__"));
    }
    return ((String) body).getBytes(StandardCharsets.UTF_8);
  }
}
