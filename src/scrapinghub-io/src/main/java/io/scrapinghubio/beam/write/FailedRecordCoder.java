package io.scrapinghubio.beam.write;

import io.scrapinghubio.beam.failure.ScrapinghubFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;

/** Deterministic coder of {@link FailedRecord}: five strings and the status. */
final class FailedRecordCoder extends AtomicCoder<FailedRecord> {
  private static final long serialVersionUID = 1L;
  private static final FailedRecordCoder INSTANCE = new FailedRecordCoder();
  private static final StringUtf8Coder STRING = StringUtf8Coder.of();
  private static final VarIntCoder INT = VarIntCoder.of();
  private static final List<ScrapinghubFailure.Kind> KINDS = List.of(ScrapinghubFailure.Kind.values());

  /**
   * The coder, stateless and shared.
   *
   * @return the one instance
   */
  public static FailedRecordCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(FailedRecord r, OutputStream out) throws IOException {
    STRING.encode(r.record(), out);
    STRING.encode(r.kind().name(), out);
    STRING.encode(r.message(), out);
    STRING.encode(r.location(), out);
    STRING.encode(r.key(), out);
    INT.encode(r.status(), out);
  }

  @Override
  public FailedRecord decode(InputStream in) throws IOException {
    String record = STRING.decode(in);
    String kind = STRING.decode(in);
    ScrapinghubFailure.Kind k;
    try {
      k = ScrapinghubFailure.Kind.valueOf(kind);
    } catch (IllegalArgumentException e) {
      throw new CoderException("unknown failure kind '" + kind + "', expected one of " + KINDS);
    }
    String message = STRING.decode(in);
    String location = STRING.decode(in);
    String key = STRING.decode(in);
    return new FailedRecord(record, k, message, location, key, INT.decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
