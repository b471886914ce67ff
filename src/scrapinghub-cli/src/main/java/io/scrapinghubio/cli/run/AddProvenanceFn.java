package io.scrapinghubio.cli.run;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import io.scrapinghubio.cli.options.ProvenanceOption.Field;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Puts the {@code --with} fields first in each record's JSON object ({@code {"_key":...,"_job":...,
 * "_spider":...,"_ts":...,} then the record's own fields, byte for byte as stored), so that every
 * writer writes, and counts, the lines with them. The record keeps its key and index: a resumed
 * export still knows which records its parts hold.
 *
 * <p>A record that already has a top-level field of one of these names fails the export, naming
 * the record and the field: its own value is never replaced, nor is a line written with the name
 * twice. The record is parsed only when its bytes contain such a name at all.
 */
public final class AddProvenanceFn extends DoFn<ScrapinghubRecord, ScrapinghubRecord> {
  private static final long serialVersionUID = 1L;
  private static final JsonFactory JSON = new JsonFactory();

  private final EnumSet<Field> fields;
  private transient byte[][] quotedNames;
  private transient ByteArrayOutputStream line;

  /**
   * @param fields the fields to add, at least one
   */
  public AddProvenanceFn(Set<Field> fields) {
    this.fields = EnumSet.copyOf(fields);
  }

  @Setup
  public void setup() {
    quotedNames = fields.stream().map(f -> ("\"" + f.jsonName() + "\"").getBytes(StandardCharsets.UTF_8))
        .toArray(byte[][]::new);
    line = new ByteArrayOutputStream(1024);
  }

  @ProcessElement
  public void process(@Element ScrapinghubRecord r, OutputReceiver<ScrapinghubRecord> out) throws IOException {
    byte[] json = r.jsonUtf8();
    int open = skipSpaces(json, 0);
    if (open >= json.length || json[open] != '{') {
      throw new IllegalStateException("--with adds fields to JSON objects, and record " + r.key()
          + " is not one: " + preview(json));
    }
    checkNoClash(r, json);
    line.reset();
    line.write('{');
    boolean first = true;
    for (Field f : fields) {
      if (!first) {
        line.write(',');
      }
      first = false;
      line.write('"');
      line.write(f.jsonName().getBytes(StandardCharsets.US_ASCII));
      line.write('"');
      line.write(':');
      writeValue(f, r);
    }
    int next = skipSpaces(json, open + 1);
    if (next < json.length && json[next] != '}') {
      line.write(',');
    }
    line.write(json, next, json.length - next);
    out.output(ScrapinghubRecord.ofUtf8(r.jobKey(), r.index(), line.toByteArray()));
  }

  private void writeValue(Field f, ScrapinghubRecord r) throws IOException {
    switch (f) {
      case key -> quoted(r.key());
      case job -> quoted(r.jobKey());
      case spider -> {
        if (r.spider().isPresent()) {
          quoted(r.spider().get());
        } else {
          line.write("null".getBytes(StandardCharsets.US_ASCII)); // the job queue does not know the job
        }
      }
      case ts -> {
        if (r.storedAt().isEmpty()) {
          throw new IllegalStateException("record " + r.key() + " came without its store time (_ts), which "
              + "--with=ts adds: the read was not asked for store times");
        }
        line.write(Long.toString(r.storedAt().getAsLong()).getBytes(StandardCharsets.US_ASCII));
      }
    }
  }

  private void quoted(String s) throws IOException {
    line.write('"');
    line.write(JsonStringEncoder.getInstance().quoteAsUTF8(s));
    line.write('"');
  }

  /** Fails if the record has a top-level field of an added name; parses it only if the name appears at all. */
  private void checkNoClash(ScrapinghubRecord r, byte[] json) throws IOException {
    boolean mentioned = false;
    for (byte[] name : quotedNames) {
      mentioned |= contains(json, name);
    }
    if (!mentioned) {
      return;
    }
    try (JsonParser p = JSON.createParser(json)) {
      p.nextToken(); // START_OBJECT
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        for (Field f : fields) {
          if (f.jsonName().equals(name)) {
            throw new IllegalStateException("record " + r.key() + " already has a field " + name + ", which --with="
                + f.name() + " would add: it keeps its own value only without --with=" + f.name());
          }
        }
        p.nextToken();
        p.skipChildren();
      }
    }
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static int skipSpaces(byte[] b, int i) {
    while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) {
      i++;
    }
    return i;
  }

  private static String preview(byte[] json) {
    String s = new String(json, 0, Math.min(json.length, 80), StandardCharsets.UTF_8);
    return json.length > 80 ? s + "..." : s;
  }
}
