package io.scrapinghubio.beam.read;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * Compact, deterministic coder for {@link ScrapinghubRecord}: job key, varint index, JSON text. A
 * record with a spider name or store time is written after an empty job key (which no record has),
 * then the same three fields, a presence byte, the spider's name and the varint store time: a record
 * without them is encoded exactly as before they existed, and what older versions encoded still decodes.
 */
public final class ScrapinghubRecordCoder extends AtomicCoder<ScrapinghubRecord> {
  private static final ScrapinghubRecordCoder INSTANCE = new ScrapinghubRecordCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final VarLongCoder LONG = VarLongCoder.of();
  /** Nested, a length-prefixed byte array: the same bytes StringUtf8Coder writes for the JSON text. */
  private static final ByteArrayCoder BYTES = ByteArrayCoder.of();

  /**
   * The coder, stateless and shared.
   *
   * @return the one instance
   */
  public static ScrapinghubRecordCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(ScrapinghubRecord value, OutputStream out) throws IOException {
    boolean extended = value.hasProvenance();
    if (extended) {
      STRING.encode(EXTENDED, out);
    }
    STRING.encode(value.jobKey(), out);
    LONG.encode(value.index(), out);
    BYTES.encode(value.jsonUtf8(), out);
    if (extended) {
      String spider = value.spiderOrNull();
      long storedAt = value.storedAtOrMin();
      int present = (spider != null ? HAS_SPIDER : 0) | (storedAt != Long.MIN_VALUE ? HAS_STORE_TIME : 0);
      out.write(present);
      if (spider != null) {
        STRING.encode(spider, out);
      }
      if (storedAt != Long.MIN_VALUE) {
        LONG.encode(storedAt, out);
      }
    }
  }

  @Override
  public ScrapinghubRecord decode(InputStream in) throws IOException {
    String job = STRING.decode(in);
    boolean extended = job.isEmpty();
    if (extended) {
      job = STRING.decode(in);
    }
    long index = LONG.decode(in);
    byte[] json = BYTES.decode(in);
    if (!extended) {
      return ScrapinghubRecord.ofUtf8(job, index, json);
    }
    int present = in.read();
    if (present < 0) {
      throw new java.io.EOFException("a record's provenance was cut short");
    }
    String spider = (present & HAS_SPIDER) != 0 ? STRING.decode(in) : null;
    long storedAt = (present & HAS_STORE_TIME) != 0 ? LONG.decode(in) : Long.MIN_VALUE;
    return ScrapinghubRecord.ofUtf8(job, index, json, spider, storedAt);
  }

  /** The job key that announces the longer form: no record has an empty one. */
  private static final String EXTENDED = "";
  private static final int HAS_SPIDER = 1;
  private static final int HAS_STORE_TIME = 2;

  @Override
  public void verifyDeterministic() {}
}
