package io.scrapinghubio.beam.read;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * A job a continuous read has seen in its listing: its key, and the earliest time any of its
 * records can have been stored ({@code sinceMillis}: the first of its pending, running and finished
 * times the listing shows), which is the element's timestamp and its read's initial watermark.
 */
record FollowedJob(String jobKey, long sinceMillis) implements Serializable {

  /** Deterministic coder: key, then varint time. */
  static final class Coder extends AtomicCoder<FollowedJob> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();

    static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(FollowedJob v, OutputStream out) throws IOException {
      StringUtf8Coder.of().encode(v.jobKey(), out);
      VarLongCoder.of().encode(v.sinceMillis(), out);
    }

    @Override
    public FollowedJob decode(InputStream in) throws IOException {
      return new FollowedJob(StringUtf8Coder.of().decode(in), VarLongCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
