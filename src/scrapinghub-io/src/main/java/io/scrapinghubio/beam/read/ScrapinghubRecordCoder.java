package io.scrapinghubio.beam.read;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** Compact, deterministic coder for {@link ScrapinghubRecord}: job key, varint index, JSON text. */
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
    STRING.encode(value.jobKey(), out);
    LONG.encode(value.index(), out);
    BYTES.encode(value.jsonUtf8(), out);
  }

  @Override
  public ScrapinghubRecord decode(InputStream in) throws IOException {
    String job = STRING.decode(in);
    long index = LONG.decode(in);
    return ScrapinghubRecord.ofUtf8(job, index, BYTES.decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
