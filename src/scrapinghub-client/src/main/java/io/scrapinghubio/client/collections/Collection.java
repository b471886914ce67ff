package io.scrapinghubio.client.collections;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.core.ReadFormat;
import io.scrapinghubio.client.http.HttpTransport;
import io.scrapinghubio.client.errors.NotFoundException;
import io.scrapinghubio.client.errors.ValueTooLargeException;
import io.scrapinghubio.client.http.CallOptions;
import io.scrapinghubio.client.http.HttpResult;
import io.scrapinghubio.client.json.Json;
import io.scrapinghubio.client.json.JsonLines;
import io.scrapinghubio.client.read.MsgpackDecoder;
import io.scrapinghubio.client.write.Batch;
import io.scrapinghubio.client.write.BatchUploader;
import io.scrapinghubio.client.write.BatchWriter;
import io.scrapinghubio.client.write.UploadTarget;
import io.scrapinghubio.client.write.WriterOptions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * One collection ({@code collections/P/<type>/<name>}): a key-value store of JSON objects keyed by
 * {@code _key}.
 *
 * <p>Writes ({@link #set}, {@link #delete}, {@link #truncate}) are keyed, so repeating them is
 * harmless: they are retried like reads. Records are checked before anything is sent: a missing
 * {@code _key} or a record over 1 MiB encoded is refused with a message naming it.
 */
public final class Collection {
  private static final Pattern NAME = Pattern.compile("^\\w+$");
  /** Records per request for {@link #set(List)} and keys per request for {@link #delete(List)}. */
  static final int CHUNK = 1000;

  private final HttpTransport transport;
  private final long projectId;
  private final StoreType type;
  private final String name;

  Collection(HttpTransport transport, long projectId, StoreType type, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("bad collection name '" + name
          + "': names may contain only letters, digits and underscores (^\\w+$)");
    }
    this.transport = transport;
    this.projectId = projectId;
    this.type = type;
    this.name = name;
  }

  /**
   * The collection's store type.
   *
   * @return the type
   */
  public StoreType type() {
    return type;
  }

  /**
   * The collection's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  private HttpUrl.Builder url() {
    return transport.storage("collections", Long.toString(projectId), type.code(), name);
  }

  /**
   * Stores one record; it must hold a {@code _key}. Replaces any record with that key.
   *
   * @param record a JSON object in any form Jackson encodes
   */
  public void set(Object record) {
    set(List.of(record));
  }

  /**
   * Stores records (each with a {@code _key}), in requests of up to 1000; all are checked before
   * the first is sent.
   *
   * @param records JSON objects
   */
  public void set(List<?> records) {
    List<byte[]> lines = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      Object r = records.get(i);
      byte[] line = CollectionEncoder.INSTANCE.encode(r);
      if (line.length > WriterOptions.MAX_RECORD_BYTES) {
        throw new ValueTooLargeException("cannot store " + CollectionEncoder.INSTANCE.describe(r, i) + " in collection " + name
            + ": it is " + line.length + " bytes once encoded, over the 1 MiB (" + WriterOptions.MAX_RECORD_BYTES + " bytes) limit", -1, null);
      }
      lines.add(line);
    }
    HttpUrl u = url().build();
    for (int from = 0; from < lines.size(); from += CHUNK) {
      // Plain JL body without content-encoding, as the official client's set() sends it.
      byte[] body = Batch.of(from, lines.subList(from, Math.min(lines.size(), from + CHUNK))).body();
      transport.post(u, body, null, CallOptions.IDEMPOTENT);
    }
  }

  /**
   * The record stored under {@code key}, without {@code _key}.
   *
   * @param key the record's key
   * @return the record
   */
  public JsonNode get(String key) {
    return get(key, transport.config().readFormat());
  }

  /**
   * The record stored under {@code key} read in {@code format}.
   *
   * @param key the record's key
   * @param format the wire format to read it in
   * @return the record
   * @throws NotFoundException there is no such key
   */
  public JsonNode get(String key, ReadFormat format) {
    checkKey(key);
    boolean mp = format == ReadFormat.MSGPACK;
    HttpResult r = transport.get(url().addPathSegment(key).build(),
        mp ? HttpTransport.MSGPACK : HttpTransport.JSON_LINES, CallOptions.IDEMPOTENT);
    List<byte[]> docs = r.isMsgpack() ? MsgpackDecoder.toJson(r.body()) : JsonLines.split(r.body());
    if (docs.isEmpty()) {
      throw new NotFoundException("collection " + name + " has no record with key '" + key + "'");
    }
    return Json.parse(docs.get(0));
  }

  /**
   * Whether a record with {@code key} exists.
   *
   * @param key the record's key
   * @return true when it exists
   */
  public boolean exists(String key) {
    try {
      get(key, ReadFormat.JSON_LINES);
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  /**
   * Streams every record (with {@code _key}), in key order.
   *
   * @return the records
   */
  public Iterable<CollectionRecord> iter() {
    return iter(ScanOptions.all());
  }

  /**
   * Streams the selected records (with {@code _key}) in key order; see {@link CollectionScanner}.
   *
   * @param options the selection
   * @return the records
   */
  public Iterable<CollectionRecord> iter(ScanOptions options) {
    return () -> scanner(options);
  }

  /**
   * A scanner of the selected records, which can say where it stopped
   * ({@link CollectionScanner#lastKey()}).
   *
   * @param options the selection
   * @return the scanner
   */
  public CollectionScanner scanner(ScanOptions options) {
    return new CollectionScanner(transport, url().build(), options);
  }

  /**
   * The selected records in memory: only for small selections.
   *
   * @param options the selection
   * @return the records
   */
  public List<CollectionRecord> list(ScanOptions options) {
    List<CollectionRecord> out = new ArrayList<>();
    Iterator<CollectionRecord> it = scanner(options);
    it.forEachRemaining(out::add);
    return out;
  }

  /**
   * Number of records.
   *
   * @return the count
   */
  public long count() {
    return count(ScanOptions.all());
  }

  /**
   * Number of selected records (keys, prefixes, time range, filters of {@code options}). The
   * service counts in slices and returns {@code nextstart} while more remain; this follows it to
   * the end and sums.
   *
   * @param options the selection
   * @return the count
   */
  public long count(ScanOptions options) {
    long total = 0;
    String next = null;
    for (int slices = 0; ; slices++) {
      HttpUrl.Builder u = url().addPathSegment("count");
      options.applySelection(u);
      if (next != null) {
        u.addQueryParameter("start", next);
      } else if (options.start != null) {
        u.addQueryParameter("start", options.start);
      } else if (options.startafter != null) {
        u.addQueryParameter("startafter", options.startafter);
      }
      JsonNode n = Json.parse(transport.get(u.build(), "application/json", CallOptions.IDEMPOTENT).body());
      total += n.path("count").asLong(0);
      JsonNode ns = n.get("nextstart");
      if (ns == null || ns.isNull() || ns.asText().isEmpty()) {
        return total;
      }
      if (ns.asText().equals(next)) {
        throw new io.scrapinghubio.client.errors.ScrapinghubException("collection " + name
            + " count returned the same nextstart twice ('" + next + "'); refusing to loop");
      }
      next = ns.asText();
    }
  }

  /**
   * Deletes one key; a missing key is not an error.
   *
   * @param key the key
   */
  public void delete(String key) {
    delete(List.of(key));
  }

  /**
   * Deletes keys, up to 1000 per request; missing keys are not an error.
   *
   * @param keys the keys
   */
  public void delete(List<String> keys) {
    keys.forEach(Collection::checkKey);
    List<byte[]> lines = new ArrayList<>(keys.size());
    keys.forEach(k -> lines.add(CollectionKeyEncoder.INSTANCE.encode(k)));
    HttpUrl u = deletedUrl().build();
    for (int from = 0; from < lines.size(); from += CHUNK) {
      // Plain JL body without content-encoding, as the official client's delete() sends it.
      byte[] body = Batch.of(from, lines.subList(from, Math.min(lines.size(), from + CHUNK))).body();
      transport.post(u, body, null, CallOptions.IDEMPOTENT);
    }
  }

  private HttpUrl.Builder deletedUrl() {
    return url().addPathSegment("deleted");
  }

  /** Removes the collection and all its records ({@code POST collections/P/delete?name=<name>}). */
  public void truncate() {
    HttpUrl u = transport.storage("collections", Long.toString(projectId), "delete")
        .addQueryParameter("name", name).build();
    transport.post(u, new byte[0], null, CallOptions.IDEMPOTENT);
  }

  /**
   * A batch writer to this collection (1000 records per upload, identity encoding, as the official
   * client).
   *
   * @return the writer; close it to upload what it holds
   */
  public BatchWriter<Object> writer() {
    return writer(WriterOptions.defaults());
  }

  /**
   * A batch writer to this collection with these batching limits.
   *
   * @param options batching limits
   * @return the writer; close it to upload what it holds
   */
  public BatchWriter<Object> writer(WriterOptions options) {
    return new BatchWriter<>(uploader(), CollectionEncoder.INSTANCE, options, null);
  }

  /**
   * The synchronous uploader behind {@link #writer()}, for callers that batch and encode
   * ({@link CollectionEncoder}) themselves, e.g. the Beam sink: each {@link Batch} goes to
   * {@code POST collections/P/<type>/<name>?start=<offset>} with {@code identity} encoding, as the
   * official client's writer sends it. Stateless and thread-safe; see {@link BatchUploader} for
   * retries (records are keyed, so a re-sent batch is harmless).
   *
   * @return the uploader
   */
  public BatchUploader uploader() {
    return new BatchUploader(transport,
        new UploadTarget(url().build(), false, true, false, "collection " + type.code() + "/" + name));
  }

  /**
   * An uploader that deletes keys in batches: each {@link Batch} of keys encoded by
   * {@link CollectionKeyEncoder} goes to {@code POST collections/P/<type>/<name>/deleted} with
   * {@code identity} encoding and without {@code ?start=} (the endpoint takes none). Deleting a
   * missing key is not an error, so a re-sent batch is harmless.
   *
   * @return the uploader
   */
  public BatchUploader deleteUploader() {
    return new BatchUploader(transport,
        new UploadTarget(deletedUrl().build(), false, false, false, "collection " + type.code() + "/" + name + " (delete)"));
  }

  private static String checkKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("collection key must be a non-empty string, but was '" + key + "'");
    }
    return key;
  }

  @Override
  public String toString() {
    return "Collection(" + projectId + "/" + type.code() + "/" + name + ")";
  }
}
