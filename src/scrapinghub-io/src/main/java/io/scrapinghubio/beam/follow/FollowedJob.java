package io.scrapinghubio.beam.follow;

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
record FollowedJob(String jobKey, long sinceMillis, String spider) implements Serializable {

  /** A job whose spider's name the listing did not give. */
  FollowedJob(String jobKey, long sinceMillis) {
    this(jobKey, sinceMillis, null);
  }

  /**
   * Deterministic coder: key, then varint time; a job with its spider's name is written after an
   * empty key (no job has one) with the name last, so that what checkpoints hold from before still decodes.
   */
  static final class Coder extends AtomicCoder<FollowedJob> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();

    static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(FollowedJob v, OutputStream out) throws IOException {
      if (v.spider() != null) {
        StringUtf8Coder.of().encode("", out);
      }
      StringUtf8Coder.of().encode(v.jobKey(), out);
      VarLongCoder.of().encode(v.sinceMillis(), out);
      if (v.spider() != null) {
        StringUtf8Coder.of().encode(v.spider(), out);
      }
    }

    @Override
    public FollowedJob decode(InputStream in) throws IOException {
      String key = StringUtf8Coder.of().decode(in);
      boolean named = key.isEmpty();
      if (named) {
        key = StringUtf8Coder.of().decode(in);
      }
      long since = VarLongCoder.of().decode(in);
      return new FollowedJob(key, since, named ? StringUtf8Coder.of().decode(in) : null);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
