package io.scrapinghubio.client.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.core.ApiKey;
import io.scrapinghubio.client.errors.BadRequestException;
import io.scrapinghubio.client.errors.DuplicateJobException;
import io.scrapinghubio.client.errors.ForbiddenException;
import io.scrapinghubio.client.errors.NotFoundException;
import io.scrapinghubio.client.errors.ScrapinghubException;
import io.scrapinghubio.client.errors.ServerErrorException;
import io.scrapinghubio.client.errors.UnauthorizedException;
import io.scrapinghubio.client.errors.ValueTooLargeException;
import io.scrapinghubio.client.json.Json;
import java.nio.charset.StandardCharsets;
import okhttp3.HttpUrl;

/**
 * Turns a failed exchange into the typed error the official client would raise, with a message
 * that says what failed and how to fix it.
 *
 * <p>The storage API is judged by HTTP status. The app (dash) API is judged mostly by its JSON body
 * ({@code status}/{@code message}) and only by status for 404 and 5xx, exactly like
 * python-scrapinghub's {@code Connection._decode_response}; a 400 whose message says "already
 * scheduled" is a {@link DuplicateJobException}.
 */
final class ErrorMapper {
  private final ApiKey apiKey;

  ErrorMapper(ApiKey apiKey) {
    this.apiKey = apiKey;
  }

  ScrapinghubException storageError(String method, HttpUrl url, int status, byte[] body) {
    String detail = messageOf(body);
    String what = method + " " + describe(url) + " failed with HTTP " + status + (detail.isEmpty() ? "" : ": " + detail);
    switch (status) {
      case 400:
        return new BadRequestException(what, 400, null);
      case 401:
        return new UnauthorizedException(unauthorized(what, url), 401, null);
      case 403:
        return new ForbiddenException(what + ". The " + apiKey.describe()
            + " is valid but has no access here: check the project id and that this key's user belongs to its organisation.", 403, null);
      case 404:
        return new NotFoundException(what, 404, null);
      case 413:
        return new ValueTooLargeException(what + ". Records must be at most 1 MiB (1048576 bytes) once encoded.", 413, null);
      default:
        if (status >= 500) {
          return new ServerErrorException(what + " (retries exhausted where the call is retryable)", status, null);
        }
        return new ScrapinghubException(what, status, null);
    }
  }

  /**
   * Checks a dash answer; returns its parsed body when it says {@code "status": "ok"}.
   *
   * @throws ScrapinghubException the typed error otherwise
   */
  JsonNode dashResult(String method, HttpUrl url, int status, byte[] body) {
    String what = method + " " + describe(url);
    if (status == 404) {
      throw new NotFoundException(what + " failed with HTTP 404: not found", 404, null);
    }
    if (status >= 500) {
      throw new ServerErrorException(what + " failed with HTTP " + status + ": " + messageOf(body)
          + " (retries exhausted where the call is retryable)", status, null);
    }
    JsonNode json;
    try {
      json = Json.MAPPER.readTree(body);
    } catch (Exception e) {
      json = null;
    }
    if (json == null || !json.isObject()) {
      if (status == 401) {
        throw new UnauthorizedException(unauthorized(what + " failed with HTTP 401", url), 401, null);
      }
      if (status == 403) {
        throw new ForbiddenException(what + " failed with HTTP 403: " + messageOf(body), 403, null);
      }
      throw new ScrapinghubException(what + " answered HTTP " + status + " with a body that is not a JSON object: " + messageOf(body), status, null);
    }
    if (!json.has("status")) {
      if (status >= 200 && status < 300) {
        return json; // v2 (REST) endpoints answer plain objects
      }
      throw storageError(method, url, status, body);
    }
    String s = json.path("status").asText();
    String message = json.path("message").asText("");
    if ("ok".equals(s)) {
      return json;
    }
    if ("error".equals(s) && "Authentication failed".equals(message)) {
      throw new UnauthorizedException(unauthorized(what + " failed: Authentication failed", url), status, null);
    }
    if ("error".equals(s) || "badrequest".equals(s)) {
      if (message.contains("already scheduled")) {
        throw new DuplicateJobException(what + " failed: " + message
            + ". A job of this spider with these arguments is already pending or running; wait for it, cancel it, or change its arguments.");
      }
      throw new BadRequestException(what + " failed: " + message, status, null);
    }
    throw new ScrapinghubException(what + " answered an unknown status '" + s + "': " + message, status, null);
  }

  private String unauthorized(String what, HttpUrl url) {
    String keyAdvice = "Scrapy Cloud needs its own API key (app.zyte.com > your organisation > Settings > API key); "
        + "a Zyte API key or a Smart Proxy Manager key will not work. Check the key " + apiKey.source() + ".";
    String project = projectOf(url);
    if (project == null) {
      return what + ". The service at " + url.host() + " refused the " + apiKey.describe() + ". " + keyAdvice;
    }
    // The storage hosts answer a project the key cannot see, or that does not exist, exactly as a wrong key.
    return what + ". The service at " + url.host() + " refused the " + apiKey.describe() + " for project " + project
        + ": either project " + project + " does not exist or this key's user has no access to it (the service does not"
        + " tell these apart: check the project id), or the key itself is wrong. " + keyAdvice;
  }

  /** Storage resources whose next path segment is a project id. */
  private static final java.util.Set<String> PROJECT_RESOURCES = java.util.Set.of("items", "logs", "requests", "samples",
      "jobq", "jobs", "collections", "hcf", "activity", "projects", "ids", "spiders");

  /** The project id a storage URL addresses ({@code .../items/P/...}), or null (dash URLs, project-less paths). */
  static String projectOf(HttpUrl url) {
    java.util.List<String> segs = url.pathSegments();
    for (int i = 0; i + 1 < segs.size(); i++) {
      if (PROJECT_RESOURCES.contains(segs.get(i)) && segs.get(i + 1).matches("\\d+")) {
        return segs.get(i + 1);
      }
    }
    return null;
  }

  /** {@code message} of a JSON object body, else the (shortened) body text. */
  static String messageOf(byte[] body) {
    if (body == null || body.length == 0) {
      return "";
    }
    try {
      JsonNode n = Json.MAPPER.readTree(body);
      if (n != null && n.isObject() && n.hasNonNull("message") && !n.get("message").asText().isEmpty()) {
        return n.get("message").asText();
      }
    } catch (Exception ignored) {
      // not JSON: use the text itself
    }
    String text = new String(body, StandardCharsets.UTF_8).strip();
    if (text.startsWith("<")) {
      text = text.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").strip(); // HTML error pages
    }
    return text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }

  /** Scheme, host and path: queries hold record keys and filters, never credentials. */
  static String describe(HttpUrl url) {
    String s = url.toString();
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}
