package io.scrapinghubio.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scrapinghubio.client.read.JobRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/** Comparisons shared by the replay tests. */
final class ReplayAssertions {
  private static final ObjectMapper M = new ObjectMapper();
  /** Form fields whose value is JSON text: compared as JSON (python's json.dumps spacing differs from ours). */
  private static final Set<String> JSON_FIELDS = Set.of("meta", "job_settings", "environment");

  private ReplayAssertions() {}

  static JsonNode json(String text) {
    try {
      return M.readTree(text);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  static void assertJson(String expected, String actual) {
    assertEquals(json(expected), json(actual), () -> "expected " + expected + " but was " + actual);
  }

  static void assertJson(String expected, JsonNode actual) {
    assertEquals(json(expected), actual, () -> "expected " + expected + " but was " + actual);
  }

  /** The request body our client sent equals (as JSON) the one python sent. */
  static void assertSameJsonBody(CassetteReplayer r, int i) {
    assertJson(r.interaction(i).requestText(), r.servedFor(i).bodyText());
  }

  /** Same form fields (repeated ones as multisets; JSON-valued ones compared as JSON). */
  static void assertSameForm(CassetteReplayer r, int i) {
    TreeMap<String, List<String>> expected = CassetteReplayer.parseQuery(r.interaction(i).requestText());
    CassetteReplayer.Served s = r.servedFor(i);
    assertEquals("application/x-www-form-urlencoded", s.contentType().replace("; charset=UTF-8", ""));
    TreeMap<String, List<String>> actual = s.form();
    assertEquals(expected.keySet(), actual.keySet(), "form field names of #" + i);
    for (String k : expected.keySet()) {
      if (JSON_FIELDS.contains(k)) {
        assertEquals(1, actual.get(k).size());
        assertJson(expected.get(k).get(0), actual.get(k).get(0));
      } else {
        assertEquals(expected.get(k), actual.get(k), "form field " + k + " of #" + i);
      }
    }
  }

  /** Records as JSON trees (without {@code _key} unless kept). */
  static List<JsonNode> trees(Iterable<JobRecord> records) {
    List<JsonNode> out = new ArrayList<>();
    for (JobRecord r : records) {
      out.add(json(r.json()));
    }
    return out;
  }

  static void assertNoKey(List<JsonNode> records) {
    for (JsonNode n : records) {
      assertNull(n.get("_key"), () -> "_key should have been dropped: " + n);
    }
  }
}
