package io.scrapinghubio.emulator.log;

import java.util.List;
import java.util.Map;

/**
 * A request the emulator received, for tests asserting what a client sent.
 *
 * @param method HTTP method
 * @param path raw path, e.g. {@code /items/1/2/3} or {@code /api/run.json}
 * @param query query parameters in order, repeated keys kept
 * @param headers request headers except {@code Authorization}
 * @param body the decoded (gunzipped) body, at most 64 KiB of it
 * @param status the status answered (0 if the connection was dropped)
 * @param timeMillis when it arrived
 */
public record LoggedRequest(
    String method,
    String path,
    Map<String, List<String>> query,
    Map<String, List<String>> headers,
    byte[] body,
    int status,
    long timeMillis) {

  /**
   * First value of a query parameter or null.
   *
   * @param name the parameter's name
   * @return the value, or null
   */
  public String param(String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /**
   * First value of a header (case-insensitive name) or null.
   *
   * @param name the header's name
   * @return the value, or null
   */
  public String header(String name) {
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
        return e.getValue().get(0);
      }
    }
    return null;
  }

  /**
   * The request's body as text.
   *
   * @return the body decoded from UTF-8
   */
  public String bodyText() {
    return new String(body, java.nio.charset.StandardCharsets.UTF_8);
  }
}
