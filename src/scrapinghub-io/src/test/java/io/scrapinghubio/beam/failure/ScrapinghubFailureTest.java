package io.scrapinghubio.beam.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.beam.failure.ScrapinghubFailure.Kind;
import io.scrapinghubio.beam.failure.ScrapinghubFailure.Operation;
import io.scrapinghubio.beam.failure.ScrapinghubFailure.Subject;
import io.scrapinghubio.client.RunRequest;
import io.scrapinghubio.client.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.jupiter.api.Test;

/** The description format's one owner: what it writes, it reads back, whatever the reason holds. */
class ScrapinghubFailureTest {
  /** Reasons that look like parts of the format, span lines, or are not ASCII. */
  private static final List<String> REASONS = List.of(
      "",
      "plain",
      "POST https://host/api/run.json failed: Spider nope not found",
      "a: b: c (HTTP 500): d",
      "still running after 3 attempt(s): gave up (HTTP 404) after 2 attempt(s): x",
      "job 1/2/3: record 1/2/3/4 of job 1/2/3: writing to collection s/x (HTTP 413): y",
      "first line\nsecond line: with a colon\r\n  third (parenthesised)",
      "Ünïcödé 日本語 — \"quoted\" 'single' ✓",
      "  leading and trailing spaces  ");

  /** One failure of every kind in every shape it comes in, with each tricky reason. */
  private static List<ScrapinghubFailure> all() {
    List<ScrapinghubFailure> out = new ArrayList<>();
    for (String reason : REASONS) {
      for (Kind k : Kind.values()) {
        for (Operation o : List.of(Operation.AWAIT, Operation.UPDATE_TAGS, Operation.CANCEL, Operation.DELETE)) {
          out.add(ScrapinghubFailure.ofJob(k, o, "1/2/3", 404, 1, reason));
          out.add(ScrapinghubFailure.ofJob(k, o, "not a key", -1, 0, reason));
        }
        out.add(ScrapinghubFailure.ofRequest(k, RunRequest.of("books").withArg("category", "poetry").toString(), 400, 3, reason));
        out.add(ScrapinghubFailure.ofRequest(k, "RunRequest{spider=s}", -1, 1, reason));
        out.add(ScrapinghubFailure.ofWrite(k, "collection s/dedup", 413, reason));
        out.add(ScrapinghubFailure.ofWrite(k, "frontier links slot example.com", -1, reason));
      }
      out.add(ScrapinghubFailure.ofMissingJob("1/2/3", reason));
      out.add(ScrapinghubFailure.ofRecord("1/2/3/10", reason));
    }
    return out;
  }

  @Test
  void everyFailureReadsBackFromItsDescription() {
    for (ScrapinghubFailure f : all()) {
      assertEquals(Optional.of(f), ScrapinghubFailure.ofDescription(f.description()), f.description());
      assertEquals(f.description(), f.toString());
    }
  }

  @Test
  void everyFailureReadsBackFromItsBadRecord() {
    for (ScrapinghubFailure f : all()) {
      BadRecord b = BadRecords.of(f.subject(), StringUtf8Coder.of(), "\"x\"", new IllegalStateException(f.description()),
          f.description());
      assertEquals(Optional.of(f), ScrapinghubFailure.of(b), f.description());
    }
  }

  /** The descriptions the bad records said before this type, unchanged. */
  @Test
  void descriptionsAreTheFormatDocumented() {
    assertEquals("NOT_FOUND: cancel of job 1/2/3 (HTTP 404) after 1 attempt(s): gone",
        ScrapinghubFailure.ofJob(Kind.NOT_FOUND, Operation.CANCEL, "1/2/3", 404, 1, "gone").description());
    assertEquals("TIMEOUT: await of job 1/2/3 after 0 attempt(s): still running",
        ScrapinghubFailure.ofJob(Kind.TIMEOUT, Operation.AWAIT, "1/2/3", -1, 0, "still running").description());
    assertEquals("DUPLICATE_JOB: schedule of request R (HTTP 400) after 1 attempt(s): dup",
        ScrapinghubFailure.ofRequest(Kind.DUPLICATE_JOB, "R", 400, 1, "dup").description());
    assertEquals("NOT_FOUND: job 1/2/3: readAll(): job 1/2/3 does not exist",
        ScrapinghubFailure.ofMissingJob("1/2/3", "readAll(): job 1/2/3 does not exist").description());
    assertEquals("CONVERSION: record 1/2/3/4 of job 1/2/3: field 'price': not a number",
        ScrapinghubFailure.ofRecord("1/2/3/4", "field 'price': not a number").description());
    assertEquals("VALUE_TOO_LARGE writing to collection s/dedup (HTTP 413): too big",
        ScrapinghubFailure.ofWrite(Kind.VALUE_TOO_LARGE, "collection s/dedup", 413, "too big").description());
    assertEquals("MISSING_KEY writing to collection s/dedup: no _key",
        ScrapinghubFailure.ofWrite(Kind.MISSING_KEY, "collection s/dedup", -1, "no _key").description());
  }

  @Test
  void fieldsAreTyped() {
    ScrapinghubFailure f = ScrapinghubFailure.ofDescription("FORBIDDEN: updateTags of job 1/2/3 (HTTP 403) after 2 attempt(s): no").get();
    assertEquals(Kind.FORBIDDEN, f.kind());
    assertEquals(Operation.UPDATE_TAGS, f.operation());
    assertEquals(Subject.JOB, f.subjectType());
    assertEquals("1/2/3", f.subject());
    assertEquals("1/2/3", f.jobKey());
    assertEquals(OptionalInt.of(403), f.status());
    assertEquals(OptionalInt.of(2), f.attempts());
    assertEquals("no", f.reason());

    ScrapinghubFailure r = ScrapinghubFailure.ofRecord("1/2/3/4", "x");
    assertEquals("1/2/3", r.jobKey());
    assertEquals(Operation.READ, r.operation());
    assertEquals(OptionalInt.empty(), r.status());
    assertEquals(OptionalInt.empty(), r.attempts());
    ScrapinghubFailure w = ScrapinghubFailure.ofWrite(Kind.BAD_REQUEST, "collection s/x", 400, "x");
    assertEquals("", w.jobKey());
    assertEquals(Operation.WRITE, w.operation());
    assertEquals(OptionalInt.empty(), w.attempts());
  }

  /** A request's arguments may hold the format's own words: its record tells where it ends. */
  @Test
  void aRequestIsReadBackExactlyFromItsRecord() {
    RunRequest request = RunRequest.of("books").withArg("q", "x (HTTP 500) after 1 attempt(s): y");
    ScrapinghubFailure f = ScrapinghubFailure.ofRequest(Kind.BAD_REQUEST, request.toString(), 400, 2, "no: really");
    BadRecord b = BadRecords.of(request, SerializableCoder.of(RunRequest.class), Json.write(request.toString()),
        new IllegalStateException("x"), f.description());
    assertEquals(Optional.of(f), ScrapinghubFailure.of(b));
  }

  @Test
  void otherBadRecordsAreNotOurs() {
    for (String d : List.of("", "Encountered Bad Record", "NOPE: cancel of job 1/2/3 after 1 attempt(s): x",
        "NOT_FOUND: fly of job 1/2/3 after 1 attempt(s): x", "NOT_FOUND: cancel of request r after 1 attempt(s): x",
        "NOT_FOUND: cancel of job 1/2/3: no attempts", "CONVERSION: record 1/2/3/4 of job 9/9/9: another job",
        "nope writing to somewhere: x")) {
      assertEquals(Optional.empty(), ScrapinghubFailure.ofDescription(d), d);
    }
    BadRecord beams = BadRecord.builder()
        .setRecord(BadRecord.Record.builder().setHumanReadableJsonRecord("{}").build())
        .setFailure(BadRecord.Failure.builder().setException("e").setDescription("Unable to parse").build())
        .build();
    assertEquals(Optional.empty(), ScrapinghubFailure.of(beams));
  }

  @Test
  void jobTransformsAndReadsNameTheirOwnOperations() {
    assertThrows(IllegalArgumentException.class, () -> ScrapinghubFailure.ofJob(Kind.UNKNOWN, Operation.WRITE, "1/2/3", -1, 1, ""));
    assertThrows(IllegalArgumentException.class, () -> ScrapinghubFailure.ofRecord("nokey", ""));
  }

  @Test
  void isSerializable() {
    ScrapinghubFailure f = ScrapinghubFailure.ofWrite(Kind.BAD_REQUEST, "collection s/x", 400, "x");
    assertEquals(f, SerializableUtils.clone(f));
    assertTrue(f.hashCode() == SerializableUtils.clone(f).hashCode());
  }
}
