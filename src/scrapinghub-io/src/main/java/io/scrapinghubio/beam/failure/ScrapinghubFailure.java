package io.scrapinghubio.beam.failure;

import io.scrapinghubio.client.json.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Why an element of a ScrapinghubIO transform failed, as data: the {@link Kind}, the
 * {@link Operation}, the subject (the job, run request, record or destination that failed), the
 * HTTP status and the number of attempts when known, and the reason in words.
 *
 * <p>Every transform of this module that takes a {@code withBadRecordErrorHandler} hands its failed
 * elements to the handler as Beam {@link BadRecord}s whose description is {@link #description()} of
 * one of these. A dead-letter sink reads it back with {@link #of(BadRecord)} instead of parsing
 * the text, so a change of wording cannot silently break it:
 *
 * <pre>{@code
 * ScrapinghubFailure.of(badRecord).ifPresent(f -> {
 *   if (f.kind() == ScrapinghubFailure.Kind.CLOSE_REASON) { ... f.jobKey() ... f.reason() ... }
 * });
 * }</pre>
 *
 * <p>The descriptions, one per {@link Subject} (the reason always last, so that it may hold any
 * text, line breaks included):
 *
 * <ul>
 *   <li>{@link Subject#JOB}, job transforms: {@code <KIND>: <operation> of job P/S/J[ (HTTP n)]
 *       after N attempt(s): <reason>}, e.g. {@code NOT_FOUND: cancel of job 1/2/3 (HTTP 404) after
 *       1 attempt(s): ...};
 *   <li>{@link Subject#REQUEST}, {@code scheduleJobs}: {@code <KIND>: schedule of request
 *       <request>[ (HTTP n)] after N attempt(s): <reason>};
 *   <li>{@link Subject#MISSING_JOB}, reads of named jobs: {@code NOT_FOUND: job P/S/J: <reason>};
 *   <li>{@link Subject#RECORD}, reads: {@code CONVERSION: record P/S/J/N of job P/S/J: <reason>};
 *   <li>{@link Subject#DESTINATION}, writes: {@code <KIND> writing to <destination>[ (HTTP n)]:
 *       <reason>}, e.g. {@code VALUE_TOO_LARGE writing to collection s/dedup (HTTP 413): ...}.
 * </ul>
 *
 * <p>Like the bad records, a failure never holds an API key. The format has one owner, this class:
 * it both writes ({@link #description()}) and reads ({@link #of(BadRecord)}) it.
 */
public final class ScrapinghubFailure implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What went wrong, typed: the first word of the description. */
  public enum Kind {
    /** scheduleJobs: the same spider with the same arguments is already pending or running. */
    DUPLICATE_JOB,
    /**
     * The service refused the request (HTTP 400): job transforms, e.g. an unknown spider or a bad
     * argument; writes, the record itself although it passed the checks made before upload.
     */
    BAD_REQUEST,
    /** The key was refused (HTTP 401). */
    UNAUTHORIZED,
    /** The key may not do this in this project (HTTP 403). */
    FORBIDDEN,
    /** No such job. */
    NOT_FOUND,
    /** HTTP 429 after the retry policy gave up. */
    RATE_LIMITED,
    /** HTTP 5xx after the retry policy gave up. */
    SERVER_ERROR,
    /** No usable response (connection refused/reset, timeout) after retries. */
    TRANSPORT,
    /** awaitJobs: the job did not reach the target state in time (timeout policy FAIL). */
    TIMEOUT,
    /** awaitJobs: the job finished with a close reason not accepted. */
    CLOSE_REASON,
    /** cancelJobs: the job had already ended otherwise (finished, or deleted), so it was not cancelled. */
    NOT_CANCELLABLE,
    /** Job transforms: the element itself is invalid (e.g. a malformed job key). */
    INVALID_INPUT,
    /** Job transforms: any other error. */
    UNKNOWN,
    /** Write: the record is over 1 MiB once encoded as UTF-8 JSON (the service answers 413). */
    VALUE_TOO_LARGE,
    /** Write: a collection record without a {@code _key}, a frontier request without {@code fp}, or an empty key to delete. */
    MISSING_KEY,
    /** Write: the record is not what the target accepts (not a JSON object, not JSON, an invalid slot name). */
    INVALID_RECORD,
    /** Read: the record does not convert to the read's output (its Beam schema, or the user's class). */
    CONVERSION
  }

  /** What the transform was doing. */
  public enum Operation {
    /** {@code scheduleJobs}. */
    SCHEDULE("schedule"),
    /** {@code awaitJobs}. */
    AWAIT("await"),
    /** {@code updateJobTags}, and the tagging of consumed jobs by reads. */
    UPDATE_TAGS("updateTags"),
    /** {@code cancelJobs}. */
    CANCEL("cancel"),
    /** {@code deleteJobs}. */
    DELETE("delete"),
    /** A read: a record that does not convert, or a named job that does not exist. */
    READ("read"),
    /** A write to a collection or a frontier. */
    WRITE("write");

    private final String word;

    Operation(String word) {
      this.word = word;
    }

    /**
     * The operation as the description names it, e.g. {@code updateTags}.
     *
     * @return the word
     */
    public String word() {
      return word;
    }

    static @Nullable Operation ofWord(String word) {
      for (Operation o : values()) {
        if (o.word.equals(word)) {
          return o;
        }
      }
      return null;
    }
  }

  /** What {@link #subject()} is. */
  public enum Subject {
    /** A job key {@code P/S/J} a job transform (or a read's tagging) failed on. */
    JOB,
    /** A run request {@code scheduleJobs} could not schedule, as its {@code toString()}. */
    REQUEST,
    /** A job key {@code P/S/J} a read was given that does not exist. */
    MISSING_JOB,
    /** The key {@code P/S/J/N} of a record a read could not convert. */
    RECORD,
    /** Where a refused record was going, e.g. {@code collection s/dedup} or {@code frontier links slot example.com}. */
    DESTINATION
  }

  /** Where the operation, the subject and, for job transforms, the status and attempts start. */
  private static final Pattern HEAD = Pattern.compile("^([A-Z_]+): (\\w+) of (job|request) ");
  /** After a job transform's subject: the status if any, the attempts, the reason. */
  private static final Pattern TAIL = Pattern.compile(" \\(HTTP (\\d+)\\) after (\\d+) attempt\\(s\\): | after (\\d+) attempt\\(s\\): ");
  private static final Pattern MISSING_JOB = Pattern.compile("^([A-Z_]+): job (\\S+): ");
  private static final Pattern RECORD = Pattern.compile("^([A-Z_]+): record (\\S+) of job (\\S+): ");
  private static final Pattern WRITE = Pattern.compile("^([A-Z_]+) writing to (.+?)(?: \\(HTTP (\\d+)\\))?: ", Pattern.DOTALL);

  /** See {@link #kind()}. */
  private final Kind kind;
  /** See {@link #operation()}. */
  private final Operation operation;
  /** See {@link #subjectType()}. */
  private final Subject subjectType;
  /** See {@link #subject()}. */
  private final String subject;
  /** The HTTP status, or -1. */
  private final int status;
  /** The attempts, or -1 when not counted (reads, writes). */
  private final int attempts;
  /** See {@link #reason()}. */
  private final String reason;

  private ScrapinghubFailure(Kind kind, Operation operation, Subject subjectType, String subject, int status, int attempts,
      @Nullable String reason) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.operation = Objects.requireNonNull(operation, "operation");
    this.subjectType = subjectType;
    this.subject = Objects.requireNonNull(subject, "subject");
    this.status = status > 0 ? status : -1;
    this.attempts = attempts;
    this.reason = reason == null ? "" : reason;
  }

  /**
   * A job transform's failure on a job.
   *
   * @param kind what went wrong
   * @param operation {@link Operation#AWAIT}, {@link Operation#UPDATE_TAGS}, {@link Operation#CANCEL}
   *     or {@link Operation#DELETE}
   * @param jobKey the job's key, {@code P/S/J} (as given, when it is not a valid key)
   * @param status the HTTP status the service answered, or -1 when it did not
   * @param attempts how many attempts were made, 0 when none could be
   * @param reason why, in words; null is taken as empty
   * @return the failure
   */
  public static ScrapinghubFailure ofJob(Kind kind, Operation operation, String jobKey, int status, int attempts,
      @Nullable String reason) {
    return new ScrapinghubFailure(kind, jobOperation(operation), Subject.JOB, jobKey, status, Math.max(0, attempts), reason);
  }

  /**
   * A {@code scheduleJobs} failure on a run request.
   *
   * @param kind what went wrong
   * @param request the run request's text, its {@code toString()}
   * @param status the HTTP status the service answered, or -1 when it did not
   * @param attempts how many attempts were made
   * @param reason why, in words; null is taken as empty
   * @return the failure, of operation {@link Operation#SCHEDULE}
   */
  public static ScrapinghubFailure ofRequest(Kind kind, String request, int status, int attempts, @Nullable String reason) {
    return new ScrapinghubFailure(kind, Operation.SCHEDULE, Subject.REQUEST, request, status, Math.max(0, attempts), reason);
  }

  /**
   * A read's failure on a job it was named that does not exist.
   *
   * @param jobKey the job's key, {@code P/S/J}
   * @param reason why, in words; null is taken as empty
   * @return the failure, of kind {@link Kind#NOT_FOUND} and operation {@link Operation#READ}
   */
  public static ScrapinghubFailure ofMissingJob(String jobKey, @Nullable String reason) {
    return new ScrapinghubFailure(Kind.NOT_FOUND, Operation.READ, Subject.MISSING_JOB, jobKey, -1, -1, reason);
  }

  /**
   * A read's failure on a record that does not convert.
   *
   * @param recordKey the record's key, {@code P/S/J/N}
   * @param reason which field, what was expected and what was found; null is taken as empty
   * @return the failure, of kind {@link Kind#CONVERSION} and operation {@link Operation#READ}
   */
  public static ScrapinghubFailure ofRecord(String recordKey, @Nullable String reason) {
    if (recordKey.lastIndexOf('/') <= 0) {
      throw new IllegalArgumentException("a record key is P/S/J/N, not " + recordKey);
    }
    return new ScrapinghubFailure(Kind.CONVERSION, Operation.READ, Subject.RECORD, recordKey, -1, -1, reason);
  }

  /**
   * A write's failure on a record going to {@code destination}.
   *
   * @param kind what went wrong
   * @param destination where the record was going, e.g. {@code collection s/dedup}
   * @param status the HTTP status the service answered, or -1 when refused before upload
   * @param reason why, in words; null is taken as empty
   * @return the failure, of operation {@link Operation#WRITE}
   */
  public static ScrapinghubFailure ofWrite(Kind kind, String destination, int status, @Nullable String reason) {
    return new ScrapinghubFailure(kind, Operation.WRITE, Subject.DESTINATION, destination, status, -1, reason);
  }

  private static Operation jobOperation(Operation operation) {
    if (operation == Operation.READ || operation == Operation.WRITE) {
      throw new IllegalArgumentException(operation + " is not an operation of a job transform");
    }
    return operation;
  }

  /**
   * The failure a bad record of this module tells.
   *
   * <p>The record helps where the text alone could be ambiguous: a job transform's record is the
   * job key or the run request, and the description names it (the request by its text, the
   * record's JSON), so it is taken as the subject whatever it holds. Nothing is deserialized.
   *
   * @param badRecord a bad record from any error handler
   * @return the failure, or empty when the bad record did not come from this module
   */
  public static Optional<ScrapinghubFailure> of(BadRecord badRecord) {
    BadRecord.Failure failure = badRecord.getFailure();
    if (failure == null || failure.getDescription() == null) {
      return Optional.empty();
    }
    return parse(failure.getDescription(), subjectsOf(badRecord.getRecord()));
  }

  /**
   * The failure a description tells: as {@link #of(BadRecord)}, from the text alone.
   *
   * @param description a bad record's description
   * @return the failure, or empty when it is not one of this module's descriptions
   */
  public static Optional<ScrapinghubFailure> ofDescription(String description) {
    return parse(description, List.of());
  }

  /**
   * The texts a job transform's description may name its record by: the job key (the record,
   * {@code StringUtf8Coder}) or the run request's text (its JSON, a string). Never by decoding a
   * {@code SerializableCoder} record: Java deserialization of bytes from a dead-letter store would
   * run whatever classes they name.
   */
  private static List<String> subjectsOf(BadRecord.@Nullable Record record) {
    List<String> subjects = new ArrayList<>();
    if (record == null) {
      return subjects;
    }
    String json = record.getHumanReadableJsonRecord();
    if (json != null && json.startsWith("\"")) {
      try {
        subjects.add(Json.parse(json).asText());
      } catch (RuntimeException notJson) {
        // Then the text alone tells.
      }
    }
    byte[] encoded = record.getEncodedRecord();
    if (encoded != null && encoded.length > 0 && StringUtf8Coder.of().toString().equals(record.getCoder())) {
      try {
        subjects.add(StringUtf8Coder.of().decode(new ByteArrayInputStream(encoded)));
      } catch (IOException | RuntimeException notAString) {
        // Then the text alone tells.
      }
    }
    return subjects;
  }

  private static Optional<ScrapinghubFailure> parse(String d, List<String> knownSubjects) {
    Matcher m = WRITE.matcher(d);
    if (m.lookingAt() && kind(m.group(1)) != null) {
      int status = m.group(3) == null ? -1 : Integer.parseInt(m.group(3));
      return Optional.of(ofWrite(kind(m.group(1)), m.group(2), status, d.substring(m.end())));
    }
    m = RECORD.matcher(d);
    if (m.lookingAt() && kind(m.group(1)) == Kind.CONVERSION) {
      ScrapinghubFailure f = ofRecord(m.group(2), d.substring(m.end()));
      return f.jobKey().equals(m.group(3)) ? Optional.of(f) : Optional.empty();
    }
    m = MISSING_JOB.matcher(d);
    if (m.lookingAt() && kind(m.group(1)) == Kind.NOT_FOUND) {
      return Optional.of(ofMissingJob(m.group(2), d.substring(m.end())));
    }
    m = HEAD.matcher(d);
    if (!m.lookingAt() || kind(m.group(1)) == null || Operation.ofWord(m.group(2)) == null) {
      return Optional.empty();
    }
    Kind kind = kind(m.group(1));
    Operation operation = Operation.ofWord(m.group(2));
    boolean job = m.group(3).equals("job");
    if ((!job && operation != Operation.SCHEDULE) || operation == Operation.READ || operation == Operation.WRITE) {
      return Optional.empty();
    }
    int start = m.end();
    // The subject ends where the status and attempts start: just after the record's own text when
    // the description names it (a request's arguments may hold anything), else at the first match.
    Matcher tail = TAIL.matcher(d);
    boolean found = false;
    for (String s : knownSubjects) {
      if (d.startsWith(s, start) && tail.region(start + s.length(), d.length()).lookingAt()) {
        found = true;
        break;
      }
    }
    if (!found && !tail.region(start, d.length()).find()) {
      return Optional.empty();
    }
    String subject = d.substring(start, tail.start());
    int status = tail.group(1) == null ? -1 : Integer.parseInt(tail.group(1));
    int attempts = Integer.parseInt(tail.group(2) != null ? tail.group(2) : tail.group(3));
    String reason = d.substring(tail.end());
    return Optional.of(job ? ofJob(kind, operation, subject, status, attempts, reason)
        : ofRequest(kind, subject, status, attempts, reason));
  }

  private static @Nullable Kind kind(String name) {
    try {
      return Kind.valueOf(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * The failure in one line (a reason with line breaks keeps them): what the bad record's
   * description is. See the class comment for its forms.
   *
   * @return the description
   */
  public String description() {
    String http = status > 0 ? " (HTTP " + status + ")" : "";
    switch (subjectType) {
      case JOB:
      case REQUEST:
        return kind + ": " + operation.word() + " of " + (subjectType == Subject.JOB ? "job " : "request ") + subject + http
            + " after " + attempts + " attempt(s): " + reason;
      case MISSING_JOB:
        return kind + ": job " + subject + ": " + reason;
      case RECORD:
        return kind + ": record " + subject + " of job " + jobKey() + ": " + reason;
      default:
        return kind + " writing to " + subject + http + ": " + reason;
    }
  }

  /**
   * What went wrong, typed.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * What the transform was doing.
   *
   * @return the operation
   */
  public Operation operation() {
    return operation;
  }

  /**
   * What {@link #subject()} is: a job, a run request, a missing job, a record or a destination.
   *
   * @return the subject's type
   */
  public Subject subjectType() {
    return subjectType;
  }

  /**
   * What failed, as the description names it: the job key, the run request's text, the record key
   * or the destination, see {@link #subjectType()}. A run request itself is the bad record's
   * record ({@code SerializableCoder}).
   *
   * @return the subject
   */
  public String subject() {
    return subject;
  }

  /**
   * The job the failure is about: the job (job transforms, missing jobs) or the job the record was
   * read from ({@code P/S/J} of record {@code P/S/J/N}); empty for run requests and writes.
   *
   * @return the job key, or empty
   */
  public String jobKey() {
    switch (subjectType) {
      case JOB:
      case MISSING_JOB:
        return subject;
      case RECORD:
        return subject.substring(0, subject.lastIndexOf('/'));
      default:
        return "";
    }
  }

  /**
   * The HTTP status the service answered.
   *
   * @return the status, or empty when it did not answer (or the element was refused before it was sent)
   */
  public OptionalInt status() {
    return status > 0 ? OptionalInt.of(status) : OptionalInt.empty();
  }

  /**
   * How many attempts a job transform made before giving up.
   *
   * @return the attempts; empty for reads and writes, which do not count them per element
   */
  public OptionalInt attempts() {
    return attempts >= 0 ? OptionalInt.of(attempts) : OptionalInt.empty();
  }

  /**
   * Why, in words: the service's or the client's message, or which field did not convert.
   *
   * @return the reason, possibly empty
   */
  public String reason() {
    return reason;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof ScrapinghubFailure)) {
      return false;
    }
    ScrapinghubFailure f = (ScrapinghubFailure) o;
    return kind == f.kind && operation == f.operation && subjectType == f.subjectType && subject.equals(f.subject)
        && status == f.status && attempts == f.attempts && reason.equals(f.reason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, operation, subjectType, subject, status, attempts, reason);
  }

  /**
   * The description.
   *
   * @return {@link #description()}
   */
  @Override
  public String toString() {
    return description();
  }
}
