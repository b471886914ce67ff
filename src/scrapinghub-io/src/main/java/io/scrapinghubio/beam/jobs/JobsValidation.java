package io.scrapinghubio.beam.jobs;

import io.scrapinghubio.client.JobQuery;
import java.time.Duration;
import java.util.Arrays;

/**
 * The checks behind the job transforms' {@code withX()} methods, so that each rejects a bad value
 * at once with the same kind of message: what the setting is, what was expected, what was given.
 */
final class JobsValidation {
  private JobsValidation() {}

  static long checkProject(long id) {
    if (id <= 0) {
      throw new IllegalArgumentException("project id must be a positive integer, but was " + id);
    }
    return id;
  }

  /** {@code value}, unless null: then "{@code name} must be {@code expected}, but was null". */
  static <T> T required(String name, T value, String expected) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must be " + expected + ", but was null");
    }
    return value;
  }

  /** {@code value}, unless null: then the message lists the constants of {@code type}. */
  static <E extends Enum<E>> E oneOf(String name, E value, Class<E> type) {
    return required(name, value, "one of " + Arrays.toString(type.getEnumConstants()));
  }

  static Duration positive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration, but was " + d);
    }
    return d;
  }

  static String state(String s) {
    if (s == null || !JobQuery.STATES.contains(s) || "pending".equals(s)) {
      throw new IllegalArgumentException("target state must be one of running, finished, deleted, but was '" + s + "'");
    }
    return s;
  }

  static String tag(String t) {
    return nonEmpty("a tag", t);
  }

  /** {@code s}, unless null or blank: then "{@code what} must be a non-empty string, but was '...'". */
  static String nonEmpty(String what, String s) {
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException(what + " must be a non-empty string, but was " + (s == null ? "null" : "'" + s + "'"));
    }
    return s;
  }
}
