package io.scrapinghubio.emulator;

import io.scrapinghubio.emulator.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import okhttp3.Credentials;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Minimal OkHttp helper for emulator tests (independent of the project's Java client). */
final class TestHttp {
  static final OkHttpClient CLIENT = new OkHttpClient.Builder()
      .retryOnConnectionFailure(false)
      .readTimeout(30, TimeUnit.SECONDS)
      .build();

  /** A finished exchange; the body is gunzipped when the server gzipped it. */
  record Reply(int code, String contentType, String contentEncoding, byte[] body, Map<String, List<String>> headers) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    List<Object> jsonLines() {
      return Json.parseLines(body);
    }

    Object json() {
      return Json.parse(body);
    }

    String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  private final String base;
  private final String key;

  TestHttp(String base, String key) {
    this.base = base;
    this.key = key;
  }

  TestHttp(ScrapyCloudEmulator emu, String key) {
    this(emu.storageUrl(), key);
  }

  Request.Builder req(String path) {
    Request.Builder b = new Request.Builder().url(base + (path.startsWith("/") ? path.substring(1) : path));
    if (key != null) {
      b.header("Authorization", Credentials.basic(key, ""));
    }
    return b;
  }

  Reply get(String path, String... headers) {
    Request.Builder b = req(path).get();
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return exec(b.build());
  }

  Reply post(String path, String body, String... headers) {
    return post(path, body.getBytes(StandardCharsets.UTF_8), headers);
  }

  Reply post(String path, byte[] body, String... headers) {
    Request.Builder b = req(path).post(RequestBody.create(body, (MediaType) null));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return exec(b.build());
  }

  Reply form(String path, String form) {
    return exec(req(path).post(RequestBody.create(form, MediaType.get("application/x-www-form-urlencoded"))).build());
  }

  Reply patchJson(String path, String json) {
    return exec(req(path).patch(RequestBody.create(json, MediaType.get("application/json"))).build());
  }

  Reply delete(String path) {
    return exec(req(path).delete().build());
  }

  static Reply exec(Request r) {
    try (Response resp = CLIENT.newCall(r).execute()) {
      byte[] body = resp.body() == null ? new byte[0] : resp.body().bytes();
      String enc = resp.header("Content-Encoding");
      if ("gzip".equals(enc) && body.length > 0) {
        body = gunzip(body);
      }
      return new Reply(resp.code(), resp.header("Content-Type"), enc, body, resp.headers().toMultimap());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] gunzip(byte[] b) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] gzip(String s) {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
      gz.write(s.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bos.toByteArray();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  static List<Map<String, Object>> maps(List<Object> l) {
    List<Map<String, Object>> out = new ArrayList<>();
    l.forEach(o -> out.add(map(o)));
    return out;
  }
}
