package io.scrapinghubio.cli.format;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;

/**
 * How an export writes records of type {@code T} as lines of a text file: JSON lines of the stored
 * records ({@link JsonLines}) or CSV rows of the inferred schema ({@link CsvLines}). Every writer
 * (the resumable parts, Beam's file sink, standard output) takes one, so that each format combines
 * with each output; and each line names the record it holds, which a resumable export records.
 *
 * @param <T> what the read produces for this format
 */
public interface RecordLines<T> extends Serializable {
  /** What each file (and standard output) starts with, e.g. a CSV header row; empty for none. */
  byte[] header();

  /**
   * Writes {@code record} as one line, its terminator included.
   *
   * @return the bytes written
   */
  int write(T record, OutputStream out) throws IOException;

  /** The key {@code P/S/J} of the job {@code record} belongs to. */
  String jobKey(T record);

  /** The 0-based index of {@code record} in its job. */
  long index(T record);

  /** The files' name suffix before any compression's own, e.g. {@code .jl}. */
  String suffix();
}
