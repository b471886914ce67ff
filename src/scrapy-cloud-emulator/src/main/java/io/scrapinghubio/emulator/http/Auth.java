package io.scrapinghubio.emulator.http;

import io.scrapinghubio.emulator.store.EmulatorState;
import io.scrapinghubio.emulator.store.JobState;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * HTTP Basic check: user = API key, empty password (as the clients send it). Also accepted:
 * {@code ?apikey=KEY}, and job-scoped credentials {@code P/S/J : <token>} where the token is the
 * one push/startjob handed out. With no configured keys every request passes.
 *
 * <p>{@code GET system/ts} needs no credentials: the recorded real service answered it without an
 * Authorization header (python-scrapinghub's {@code server_timestamp()} sends none).
 */
final class Auth {
  private final Set<String> keys;
  private final EmulatorState state;

  Auth(Set<String> keys, EmulatorState state) {
    this.keys = keys;
    this.state = state;
  }

  boolean allows(Request req) {
    if (keys.isEmpty() || isPublic(req)) {
      return true;
    }
    String apikey = req.param("apikey");
    if (apikey != null && keys.contains(apikey)) {
      return true;
    }
    String h = req.header("Authorization");
    if (h == null || !h.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false;
    }
    int colon = decoded.indexOf(':');
    String user = colon < 0 ? decoded : decoded.substring(0, colon);
    String pass = colon < 0 ? "" : decoded.substring(colon + 1);
    if (keys.contains(user)) {
      return true;
    }
    if (!pass.isEmpty() && user.split("/").length == 3) {
      try {
        Optional<JobState> job = state.job(user);
        return job.isPresent() && pass.equals(job.get().auth());
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    return false;
  }

  /** Resources the service answers without credentials. */
  static boolean isPublic(Request req) {
    return req.method().equals("GET") && req.size() == 2 && "system".equals(req.seg(0)) && "ts".equals(req.seg(1));
  }
}
