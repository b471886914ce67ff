package io.scrapinghubio.cli.format;

import io.scrapinghubio.beam.read.ScrapinghubRecord;
import java.io.IOException;
import java.io.OutputStream;

/** JSON lines: each record's JSON exactly as the service stored it (no decoding and encoding back), one a line. */
public final class JsonLines implements RecordLines<ScrapinghubRecord> {
  private static final long serialVersionUID = 1L;
  private static final byte[] NO_HEADER = new byte[0];
  private static final JsonLines INSTANCE = new JsonLines();

  private JsonLines() {}

  public static JsonLines of() {
    return INSTANCE;
  }

  @Override
  public byte[] header() {
    return NO_HEADER;
  }

  @Override
  public int write(ScrapinghubRecord record, OutputStream out) throws IOException {
    byte[] json = record.jsonUtf8();
    out.write(json);
    out.write('\n');
    return json.length + 1;
  }

  @Override
  public String jobKey(ScrapinghubRecord record) {
    return record.jobKey();
  }

  @Override
  public long index(ScrapinghubRecord record) {
    return record.index();
  }

  @Override
  public String suffix() {
    return ".jl";
  }

  private Object readResolve() {
    return INSTANCE;
  }
}
