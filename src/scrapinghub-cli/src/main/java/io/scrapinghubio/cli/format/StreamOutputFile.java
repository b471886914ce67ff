package io.scrapinghubio.cli.format;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * A Parquet {@link OutputFile} over a stream the export's writer has already opened (a part file, or
 * the channel of Beam's file sink), as ParquetIO's sink does: Parquet writes its file front to
 * back and needs only the position, so no Hadoop file system is involved. Closing the Parquet
 * writer flushes the stream and leaves it open: its owner closes it (renaming a part, or Beam
 * finalizing a shard).
 */
final class StreamOutputFile implements OutputFile {
  private final OutputStream out;
  private long position;

  StreamOutputFile(OutputStream out) {
    this.out = out;
  }

  /** The bytes written so far. */
  long position() {
    return position;
  }

  @Override
  public PositionOutputStream create(long blockSizeHint) {
    return new PositionOutputStream() {
      @Override
      public long getPos() {
        return position;
      }

      @Override
      public void write(int b) throws IOException {
        out.write(b);
        position++;
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        position += len;
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }

      @Override
      public void close() throws IOException {
        out.flush(); // the stream's owner closes it
      }
    };
  }

  @Override
  public PositionOutputStream createOrOverwrite(long blockSizeHint) {
    return create(blockSizeHint);
  }

  @Override
  public boolean supportsBlockSize() {
    return false;
  }

  @Override
  public long defaultBlockSize() {
    return 0;
  }
}
