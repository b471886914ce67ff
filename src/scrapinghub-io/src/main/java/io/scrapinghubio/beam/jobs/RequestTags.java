package io.scrapinghubio.beam.jobs;

import io.scrapinghubio.client.RunRequest;
import io.scrapinghubio.client.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The deterministic tag {@code scheduleJobs()} puts on each job: {@code sio-req:} plus 20 hex
 * digits of the SHA-256 of the request (spider, arguments, job settings, meta, environment,
 * command arguments, extra params, units, priority; user tags excluded) and the dedupe scope.
 */
final class RequestTags {
  /** What every request tag starts with, to tell them from users' tags. */
  public static final String PREFIX = "sio-req:";

  private RequestTags() {}

  /**
   * The tag of {@code request} within {@code scope} (the pipeline run, or the user's dedupe id).
   *
   * @param request the run request
   * @param scope the dedupe scope
   * @return {@link #PREFIX} and 20 hex digits
   */
  public static String tag(RunRequest request, String scope) {
    Map<String, Object> canonical = new LinkedHashMap<>();
    canonical.put("scope", scope);
    canonical.put("spider", request.spider());
    canonical.put("args", new TreeMap<>(request.args()));
    canonical.put("job_settings", new TreeMap<>(request.jobSettings()));
    canonical.put("meta", new TreeMap<>(request.meta()));
    canonical.put("environment", new TreeMap<>(request.environment()));
    canonical.put("cmd_args", request.cmdArgs());
    canonical.put("params", new TreeMap<>(request.params()));
    canonical.put("units", request.units());
    canonical.put("priority", request.priority());
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(Json.write(canonical).getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
    StringBuilder sb = new StringBuilder(PREFIX);
    for (int i = 0; i < 10; i++) {
      sb.append(String.format("%02x", digest[i]));
    }
    return sb.toString();
  }
}
