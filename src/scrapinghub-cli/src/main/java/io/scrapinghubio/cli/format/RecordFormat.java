package io.scrapinghubio.cli.format;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;

/**
 * How an export writes records of type {@code T} into files: as lines of text ({@link RecordLines}:
 * JSON lines, CSV) or as a columnar file ({@link ParquetRecords}). Every file writer (the resumable
 * parts, Beam's file sink) takes one, so that each format combines with each output; and each
 * record names itself (job and index), which a resumable export records.
 *
 * @param <T> what the read produces for this format
 */
public interface RecordFormat<T> extends Serializable {
  /** Starts one file on {@code out}, which the caller closes after {@link RecordFile#finish()}. */
  RecordFile<T> open(OutputStream out) throws IOException;

  /** The key {@code P/S/J} of the job {@code record} belongs to. */
  String jobKey(T record);

  /** The 0-based index of {@code record} in its job. */
  long index(T record);

  /** The files' name suffix before any compression's own, e.g. {@code .jl}. */
  String suffix();

  /** One file being written. */
  interface RecordFile<T> {
    /**
     * Writes {@code record}.
     *
     * @return the bytes it adds to the file, as far as known now (a columnar format buffers a row
     *     group and gives an estimate, which {@link #finish()} corrects)
     */
    long write(T record) throws IOException;

    /**
     * Completes the file (e.g. Parquet's footer) and flushes it, leaving the stream open.
     *
     * @return the bytes this adds to what {@link #write} returned (for Parquet, so that the sum is
     *     the file's size; negative when the estimates were over)
     */
    long finish() throws IOException;
  }
}
