package io.scrapinghubio.client.collections;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.scrapinghubio.client.errors.ScrapinghubException;
import io.scrapinghubio.client.http.CallOptions;
import io.scrapinghubio.client.http.HttpTransport;
import io.scrapinghubio.client.json.Json;
import io.scrapinghubio.client.json.JsonLines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import okhttp3.HttpUrl;

/**
 * Streams a collection scan page by page, resuming each page with {@code startafter=<last key>}.
 *
 * <p>A page shorter than asked does <b>not</b> end the scan (the service is known to return fewer
 * records than {@code count}, python-hubstorage #34): only an empty page does. Keys must come in
 * strictly increasing order; a page that goes backwards or repeats a key fails loudly instead of
 * looping or duplicating. Each page is read whole inside the retry loop before any record is
 * handed out, so a cut or failed page is re-fetched from the same key: nothing lost, nothing
 * repeated. Memory: one page. Not thread-safe: one consumer per scanner.
 */
public final class CollectionScanner implements Iterator<CollectionRecord> {
  private final HttpTransport transport;
  private final HttpUrl base;
  private final ScanOptions options;
  private final ArrayDeque<CollectionRecord> page = new ArrayDeque<>();
  private String lastKey;
  private byte[] lastKeyBytes;
  private long delivered;
  private long requests;
  private boolean done;

  CollectionScanner(HttpTransport transport, HttpUrl base, ScanOptions options) {
    this.transport = transport;
    this.base = base;
    this.options = options;
    this.done = options.count == 0;
  }

  /**
   * Key of the last record returned: pass it to {@link ScanOptions#startafter} to resume.
   *
   * @return the key, or null before the first record
   */
  public String lastKey() {
    return lastKey;
  }

  /**
   * Requests made so far.
   *
   * @return the count
   */
  public long requests() {
    return requests;
  }

  @Override
  public boolean hasNext() {
    while (page.isEmpty() && !done) {
      fetch();
    }
    return !page.isEmpty();
  }

  @Override
  public CollectionRecord next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    CollectionRecord r = page.poll();
    delivered++;
    if (delivered >= options.count) {
      done = true;
      page.clear();
    }
    return r;
  }

  private void fetch() {
    boolean single = options.prefixcount != null;
    HttpUrl.Builder url = base.newBuilder();
    options.applySelection(url);
    if (lastKey != null) {
      url.addQueryParameter("startafter", lastKey);
    } else if (options.startafter != null) {
      url.addQueryParameter("startafter", options.startafter);
    } else if (options.start != null) {
      url.addQueryParameter("start", options.start);
    }
    long remaining = options.count - delivered;
    if (!single || remaining != Long.MAX_VALUE) {
      long want = single ? remaining : Math.min(options.pageSize, remaining);
      url.addQueryParameter("count", Long.toString(want));
    }
    url.addQueryParameter("meta", "_key");
    byte[] body = transport.get(url.build(), HttpTransport.JSON_LINES, CallOptions.IDEMPOTENT_JSON_LINES).body();
    requests++;
    for (byte[] line : JsonLines.split(body)) {
      String key = keyOf(line);
      byte[] kb = key.getBytes(StandardCharsets.UTF_8);
      if (lastKeyBytes != null && Arrays.compareUnsigned(kb, lastKeyBytes) <= 0) {
        throw new ScrapinghubException("collection scan of " + base + " returned key '" + key + "' after '" + lastKey
            + "': keys must increase; refusing to repeat or skip records");
      }
      page.add(new CollectionRecord(key, line));
      lastKey = key;
      lastKeyBytes = kb;
    }
    if (page.isEmpty() || single) {
      done = true;
    }
  }

  /** The top-level {@code _key} of a record, found with a streaming parse (values are skipped). */
  static String keyOf(byte[] line) {
    try (JsonParser p = Json.MAPPER.getFactory().createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new ScrapinghubException("collection record is not a JSON object: " + preview(line));
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if ("_key".equals(name) && t == JsonToken.VALUE_STRING) {
          return p.getText();
        }
        p.skipChildren();
      }
    } catch (IOException e) {
      throw new ScrapinghubException("collection record is not valid JSON: " + preview(line));
    }
    throw new ScrapinghubException("collection record has no _key although meta=_key was requested: " + preview(line));
  }

  private static String preview(byte[] line) {
    return new String(line, 0, Math.min(line.length, 200), StandardCharsets.UTF_8);
  }
}
