package io.scrapinghubio.cli.format;

import java.io.IOException;
import java.io.OutputStream;

/**
 * How an export writes records of type {@code T} as lines of a text file: JSON lines of the stored
 * records ({@link JsonLines}) or CSV rows of the inferred schema ({@link CsvLines}). Every writer
 * takes one (standard output too, which only a format of lines can be streamed to), so that each
 * format combines with each output; and each line names the record it holds, which a resumable
 * export records.
 *
 * @param <T> what the read produces for this format
 */
public interface RecordLines<T> extends RecordFormat<T> {
  /** What each file (and standard output) starts with, e.g. a CSV header row; empty for none. */
  byte[] header();

  /**
   * Writes {@code record} as one line, its terminator included.
   *
   * @return the bytes written
   */
  int write(T record, OutputStream out) throws IOException;

  /**
   * A file of lines: the header, then one line per record. What it counts are the lines' bytes
   * (the header is not a record's), as every writer of lines has counted them.
   */
  @Override
  default RecordFile<T> open(OutputStream out) throws IOException {
    out.write(header());
    return new RecordFile<T>() {
      @Override
      public long write(T record) throws IOException {
        return RecordLines.this.write(record, out);
      }

      @Override
      public long finish() throws IOException {
        out.flush();
        return 0;
      }
    };
  }
}
