package io.scrapinghubio.beam.read;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import org.apache.beam.sdk.io.FileIO;

/**
 * Writes records as JSON lines, each record's JSON exactly as the service stored it, for
 * {@code FileIO.write().via(...)}. The bytes read are the bytes written: no decoding to text and
 * encoding back, which is what {@code MapElements(json) + TextIO} costs per record.
 */
public final class JsonLinesSink implements FileIO.Sink<ScrapinghubRecord> {
  private static final long serialVersionUID = 1L;
  private static final int BUFFER_BYTES = 1 << 16;

  private transient OutputStream out;

  @Override
  public void open(WritableByteChannel channel) {
    out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_BYTES);
  }

  @Override
  public void write(ScrapinghubRecord record) throws IOException {
    out.write(record.jsonUtf8());
    out.write('\n');
  }

  @Override
  public void flush() throws IOException {
    out.flush(); // the channel itself is closed by FileIO
  }
}
