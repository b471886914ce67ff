package io.scrapinghubio.beam.jobs;

import io.scrapinghubio.client.JobQuery;
import java.time.Duration;

/** Validation and display helpers shared by the job transforms' specs. */
final class JobsSpecs {
  private JobsSpecs() {}

  static long checkProject(long id) {
    if (id <= 0) {
      throw new IllegalArgumentException("project id must be a positive integer, but was " + id);
    }
    return id;
  }

  static <T> T notNull(String name, T value) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    return value;
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
    if (t == null || t.isBlank()) {
      throw new IllegalArgumentException("tags must be non-empty strings, but got '" + t + "'");
    }
    return t;
  }
}
