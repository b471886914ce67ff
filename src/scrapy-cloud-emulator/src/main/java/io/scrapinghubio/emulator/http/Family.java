package io.scrapinghubio.emulator.http;

/**
 * The three server personalities behind the two hosts. They differ in 401 bodies, JSON style and
 * whether bodies are gzipped, so each path is classified first.
 */
enum Family {
  /** Dash/app API ({@code /api/...}). */
  DASH,
  /** The Python JobQ/metadata app: jobq, jobs, projects, ids, spiders. */
  JOBQ,
  /** The storage data server: items, logs, requests, samples, collections, hcf, activity, system. */
  DATA;

  static Family of(String firstSegment) {
    if (firstSegment == null) {
      return DATA;
    }
    switch (firstSegment) {
      case "api":
        return DASH;
      case "jobq":
      case "jobs":
      case "projects":
      case "ids":
      case "spiders":
        return JOBQ;
      default:
        return DATA;
    }
  }

  /** Whether responses may be gzipped (the data server does it; the others did not). */
  boolean gzips() {
    return this == DATA;
  }

  /**
   * The answer to a project that does not exist or that the caller's key cannot see (the real
   * service does not tell the two apart). The storage hosts answer as to a key they refuse, as a
   * real user reported for a collection of a project that was not theirs (401 Unauthorized); the
   * dash answer was not recorded: a JSON error naming the project, with 403 (the stricter choice,
   * listed in docs/emulator.md).
   */
  HttpError projectRefused(long project) {
    if (this == DASH) {
      return new HttpError(403, ContentTypes.JSON_BARE,
          "{\"status\":\"error\",\"message\":\"Project " + project + " not found or not accessible with this API key\"}");
    }
    return unauthorized();
  }

  /** The 401 answer of this server, as recorded. */
  HttpError unauthorized() {
    switch (this) {
      case DASH:
        return new HttpError(401, ContentTypes.JSON_BARE, "{\"status\":\"error\",\"message\":\"Authentication failed\"}");
      case JOBQ:
        return new HttpError(401, ContentTypes.JSON_BARE, "{\n  \"error\": \"Unauthorized\",\n  \"message\": \"Unauthorized\"\n}");
      default:
        return new HttpError(401, null, "Unauthorized\n");
    }
  }
}
