package io.scrapinghubio.emulator.http;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A parsed request: method, decoded path segments, query parameters (repeated keys kept in order,
 * as {@code requests} sends lists) and the body, gunzipped when {@code content-encoding: gzip}.
 */
public final class Request {
  private final HttpExchange exchange;
  private final String method;
  private final String path;
  private final List<String> segments;
  private final Map<String, List<String>> query;
  private byte[] raw;
  private byte[] body;
  private Map<String, List<String>> form;
  private Caller caller = Caller.EVERY_PROJECT;

  /**
   * A request of this exchange; its path and query are parsed at once.
   *
   * @param exchange the JDK server's exchange
   */
  public Request(HttpExchange exchange) {
    this.exchange = exchange;
    this.method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    this.path = exchange.getRequestURI().getRawPath();
    this.segments = splitPath(path);
    this.query = parseQuery(exchange.getRequestURI().getRawQuery());
  }

  static List<String> splitPath(String rawPath) {
    List<String> out = new ArrayList<>();
    for (String s : rawPath.split("/")) {
      if (!s.isEmpty()) {
        out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  /**
   * Parses {@code a=1&b=2&a=3} into ordered multi-values.
   *
   * @param raw the raw query, or null
   * @return every parameter's values, in order
   */
  public static Map<String, List<String>> parseQuery(String raw) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    return out;
  }

  /** Who sent the request (set once its credentials are accepted). */
  Caller caller() {
    return caller;
  }

  void caller(Caller c) {
    this.caller = c;
  }

  /**
   * The JDK server's exchange.
   *
   * @return the exchange
   */
  public HttpExchange exchange() {
    return exchange;
  }

  /**
   * The HTTP method, upper case.
   *
   * @return the method
   */
  public String method() {
    return method;
  }

  /**
   * The path, still percent-encoded.
   *
   * @return the raw path
   */
  public String path() {
    return path;
  }

  /**
   * The query string as sent.
   *
   * @return the raw query, or null
   */
  public String rawQuery() {
    return exchange.getRequestURI().getRawQuery();
  }

  /**
   * The path's segments.
   *
   * @return the segments
   */
  public List<String> segments() {
    return segments;
  }

  /**
   * How many segments the path has.
   *
   * @return the count
   */
  public int size() {
    return segments.size();
  }

  /**
   * Segment {@code i}, or null when the path is shorter.
   *
   * @param i an index
   * @return the segment, or null
   */
  public String seg(int i) {
    return i < segments.size() ? segments.get(i) : null;
  }

  /**
   * Every query parameter's values.
   *
   * @return the parameters, in order
   */
  public Map<String, List<String>> query() {
    return query;
  }

  /**
   * First value of a query parameter.
   *
   * @param name the parameter's name
   * @return the value, or null
   */
  public String param(String name) {
    List<String> v = query.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /**
   * Every value of a query parameter.
   *
   * @param name the parameter's name
   * @return the values, possibly none
   */
  public List<String> params(String name) {
    return query.getOrDefault(name, List.of());
  }

  /**
   * Whether a query parameter is present.
   *
   * @param name the parameter's name
   * @return true when present, even without a value
   */
  public boolean has(String name) {
    return query.containsKey(name);
  }

  /**
   * An integer query parameter; malformed values are a 400 like the real service.
   *
   * @param name the parameter's name
   * @param dflt the value when it is missing
   * @return the value
   */
  public long longParam(String name, long dflt) {
    String v = param(name);
    if (v == null || v.isEmpty()) {
      return dflt;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw HttpError.badRequest("Invalid value for parameter " + name + ": " + v);
    }
  }

  /**
   * First value of a request header.
   *
   * @param name the header's name, any case
   * @return the value, or null
   */
  public String header(String name) {
    return exchange.getRequestHeaders().getFirst(name);
  }

  /**
   * Whether the client asked for msgpack ({@code Accept: application/x-msgpack}).
   *
   * @return true for msgpack
   */
  public boolean wantsMsgpack() {
    String a = header("Accept");
    return a != null && a.toLowerCase(Locale.ROOT).contains("application/x-msgpack");
  }

  /**
   * Whether the client accepts gzip-compressed answers.
   *
   * @return true when {@code Accept-Encoding} names gzip
   */
  public boolean acceptsGzip() {
    String a = header("Accept-Encoding");
    return a != null && a.toLowerCase(Locale.ROOT).contains("gzip");
  }

  /**
   * Reads the whole body off the connection, as sent (nothing is decoded yet). The server calls it
   * before it decides anything, because an answer sent before the body is read (an injected 429,
   * a 401) would otherwise leave the rest of the body unread: the JDK server then drops the
   * connection, with a reset that destroys the answer on its way to the client, where a real
   * front-end reads and discards the body (or says {@code Connection: close}) and the connection
   * stays usable.
   */
  public void readFully() {
    if (raw == null) {
      try (InputStream in = exchange.getRequestBody()) {
        raw = in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * The request body, decompressed if the client gzipped it.
   *
   * @return the body's bytes
   */
  public byte[] body() {
    if (body == null) {
      readFully();
      byte[] decoded = raw;
      String enc = header("Content-Encoding");
      if ((enc != null && enc.toLowerCase(Locale.ROOT).contains("gzip"))
          || (raw.length > 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b)) {
        try (InputStream gz = new GZIPInputStream(new ByteArrayInputStream(raw))) {
          decoded = gz.readAllBytes();
        } catch (IOException e) {
          throw HttpError.badRequest("Error parsing data, invalid gzip body");
        }
      }
      body = decoded;
    }
    return body;
  }

  /**
   * The body as {@code application/x-www-form-urlencoded} fields (dash POSTs).
   *
   * @return the fields' values by name
   */
  public Map<String, List<String>> form() {
    if (form == null) {
      String ct = header("Content-Type");
      if (ct != null && ct.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
        throw new HttpError(400, ContentTypes.JSON_BARE,
            "{\"status\":\"badrequest\",\"message\":\"multipart bodies are not supported by the emulator\"}");
      }
      form = parseQuery(new String(body(), StandardCharsets.UTF_8));
    }
    return form;
  }

  @Override
  public String toString() {
    return method + " " + path + (rawQuery() == null ? "" : "?" + rawQuery()) + " " + Arrays.toString(segments.toArray());
  }
}
