package io.scrapinghubio.beam.read;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** Compact, deterministic coder for {@link ScrapinghubRecord}: job key, varint index, JSON text. */
public final class ScrapinghubRecordCoder extends AtomicCoder<ScrapinghubRecord> {
  private static final ScrapinghubRecordCoder INSTANCE = new ScrapinghubRecordCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final VarLongCoder LONG = VarLongCoder.of();

  public static ScrapinghubRecordCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(ScrapinghubRecord value, OutputStream out) throws IOException {
    STRING.encode(value.jobKey(), out);
    LONG.encode(value.index(), out);
    STRING.encode(value.json(), out);
  }

  @Override
  public ScrapinghubRecord decode(InputStream in) throws IOException {
    String job = STRING.decode(in);
    long index = LONG.decode(in);
    return new ScrapinghubRecord(job, index, STRING.decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
