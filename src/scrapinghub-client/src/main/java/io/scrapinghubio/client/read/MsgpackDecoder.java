package io.scrapinghubio.client.read;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.scrapinghubio.client.core.JobKey;
import io.scrapinghubio.client.errors.ScrapinghubException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a msgpack body, a plain concatenation of msgpack values (no array around them), into
 * compact JSON records, streaming token by token with jackson-dataformat-msgpack's parser (no tree
 * is built). Binary values become base64 strings, as Jackson writes them.
 *
 * <p>Resume guarantees match {@link JsonLinesDecoder}: callers fetch a page whole, then records
 * are indexed by their {@code _key} when present (items) or by position from the page's first
 * index when the service leaves it out (logs: the real service omits {@code _key} from msgpack
 * logs even with {@code meta=_key}; samples: never keyed).
 *
 * <p>The msgpack module is optional: this class fails with a clear message when it is missing.
 */
public final class MsgpackDecoder {
  private static final JsonFactory JSON = new JsonFactory();
  private static volatile JsonFactory msgpack;

  private MsgpackDecoder() {}

  static JsonFactory factory() {
    JsonFactory f = msgpack;
    if (f == null) {
      try {
        f = (JsonFactory) Class.forName("org.msgpack.jackson.dataformat.MessagePackFactory").getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException | LinkageError e) {
        throw new IllegalStateException("the msgpack read format needs org.msgpack:jackson-dataformat-msgpack on the classpath "
            + "(an optional dependency of scrapinghub-io); add it or use ReadFormat.JSON_LINES", e);
      }
      msgpack = f;
    }
    return f;
  }

  /**
   * Every top-level value of {@code body}, each re-encoded as compact UTF-8 JSON.
   *
   * @param body the msgpack body
   * @return the JSON values
   */
  public static List<byte[]> toJson(byte[] body) {
    List<byte[]> out = new ArrayList<>();
    try (JsonParser p = factory().createParser(body)) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
      JsonToken t;
      while ((t = nextRoot(p)) != null) {
        buf.reset();
        try (JsonGenerator g = JSON.createGenerator(buf)) {
          copy(p, g, t);
        }
        out.add(buf.toByteArray());
      }
    } catch (IOException e) {
      throw new ScrapinghubException("msgpack body of " + body.length + " bytes could not be decoded: " + e.getMessage());
    }
    return out;
  }

  /**
   * The first token of the next top-level value, or null at the end. The msgpack parser signals a
   * clean end between values with an EOF exception rather than null; an EOF inside a value still
   * fails (in {@link #copy}).
   */
  private static JsonToken nextRoot(JsonParser p) throws IOException {
    try {
      return p.nextToken();
    } catch (com.fasterxml.jackson.core.io.JsonEOFException e) {
      return null;
    }
  }

  /** Copies the value starting at {@code t}; map keys are written as strings. */
  private static void copy(JsonParser p, JsonGenerator g, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT:
        g.writeStartObject();
        while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
          g.writeFieldName(p.currentName());
          copy(p, g, p.nextToken());
        }
        g.writeEndObject();
        break;
      case START_ARRAY:
        g.writeStartArray();
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          copy(p, g, t);
        }
        g.writeEndArray();
        break;
      default:
        g.copyCurrentEvent(p);
    }
  }

  /**
   * Records of one page of a job's data.
   *
   * @param firstIndex index of the page's first record, used when records carry no {@code _key}
   */
  static List<JobRecord> decode(byte[] body, JobKey job, boolean keyed, boolean keepKey, long firstIndex) {
    List<byte[]> docs = toJson(body);
    List<JobRecord> out = new ArrayList<>(docs.size());
    long position = firstIndex;
    for (byte[] doc : docs) {
      if (keyed && hasKeyField(doc)) {
        // Same path as JSON lines: index from _key, _key dropped unless asked for.
        out.addAll(JsonLinesDecoder.decode(withNewline(doc), job, true, keepKey, position));
      } else {
        out.add(new JobRecord(job, position, doc));
      }
      position = out.get(out.size() - 1).index() + 1;
    }
    return out;
  }

  private static boolean hasKeyField(byte[] doc) {
    byte[] k = "\"_key\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    outer:
    for (int i = 0; i + k.length <= doc.length; i++) {
      for (int j = 0; j < k.length; j++) {
        if (doc[i + j] != k[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static byte[] withNewline(byte[] doc) {
    byte[] b = java.util.Arrays.copyOf(doc, doc.length + 1);
    b[doc.length] = '\n';
    return b;
  }
}
