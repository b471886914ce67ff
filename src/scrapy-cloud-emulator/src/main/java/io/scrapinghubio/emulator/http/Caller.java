package io.scrapinghubio.emulator.http;

import java.util.Set;

/**
 * Who a request comes from, as far as project access goes: the projects its credentials may see.
 * The real service answers a project the key cannot see exactly as one that does not exist, so
 * handlers only ask {@link #sees(long)} of projects that exist.
 *
 * @param projects the projects these credentials may see; null for every project
 */
record Caller(Set<Long> projects) {
  /** An API key with access to every project (or any key, when the emulator accepts any). */
  static final Caller EVERY_PROJECT = new Caller(null);

  static Caller of(Set<Long> projects) {
    return projects == null || projects.isEmpty() ? EVERY_PROJECT : new Caller(Set.copyOf(projects));
  }

  /** Job-scoped credentials ({@code P/S/J} and the job's token) reach that job's project only. */
  static Caller job(long project) {
    return new Caller(Set.of(project));
  }

  boolean sees(long project) {
    return projects == null || projects.contains(project);
  }
}
