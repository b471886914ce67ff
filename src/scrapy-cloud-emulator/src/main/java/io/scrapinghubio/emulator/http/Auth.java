package io.scrapinghubio.emulator.http;

import io.scrapinghubio.emulator.store.EmulatorState;
import io.scrapinghubio.emulator.store.JobState;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * HTTP Basic check: user = API key, empty password (as the clients send it). Also accepted:
 * {@code ?apikey=KEY}, and job-scoped credentials {@code P/S/J : <token>} where the token is the
 * one push/startjob handed out. With no configured keys every request passes. Each accepted
 * request gets a {@link Caller}: the projects its key may see (every project unless the key was
 * given with a project list; a job's credentials see that job's project).
 *
 * <p>{@code GET system/ts} needs no credentials: the recorded real service answered it without an
 * Authorization header (python-scrapinghub's {@code server_timestamp()} sends none).
 */
final class Auth {
  /** Accepted keys and the projects each may see (an empty set: every project). */
  private final Map<String, Set<Long>> keys;
  private final EmulatorState state;

  Auth(Map<String, Set<Long>> keys, EmulatorState state) {
    this.keys = Map.copyOf(keys);
    this.state = state;
  }

  /** The caller these credentials make, or empty when they are refused. */
  Optional<Caller> caller(Request req) {
    if (keys.isEmpty() || isPublic(req)) {
      return Optional.of(Caller.EVERY_PROJECT);
    }
    String apikey = req.param("apikey");
    if (apikey != null && keys.containsKey(apikey)) {
      return Optional.of(Caller.of(keys.get(apikey)));
    }
    String h = req.header("Authorization");
    if (h == null || !h.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    String user = colon < 0 ? decoded : decoded.substring(0, colon);
    String pass = colon < 0 ? "" : decoded.substring(colon + 1);
    if (keys.containsKey(user)) {
      return Optional.of(Caller.of(keys.get(user)));
    }
    if (!pass.isEmpty() && user.split("/").length == 3) {
      try {
        Optional<JobState> job = state.job(user);
        return job.isPresent() && pass.equals(job.get().auth())
            ? Optional.of(Caller.job(job.get().project())) : Optional.empty();
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** Resources the service answers without credentials. */
  static boolean isPublic(Request req) {
    return req.method().equals("GET") && req.size() == 2 && "system".equals(req.seg(0)) && "ts".equals(req.seg(1));
  }
}
