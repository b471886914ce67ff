package io.scrapinghubio.cli.run;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import io.scrapinghubio.cli.format.RecordLines;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * The command's standard output as the destination of a pipeline's JSON lines ({@code --output=-}),
 * so that {@code | jq} and {@code | gzip} work as they do with {@code shub items}. The pipeline's
 * workers run in this JVM (embedded Flink or the Direct runner) and find it by its id, as the
 * progress display's counts are found.
 *
 * <p>Workers hand whole lines only, in batches, under one lock: lines of parallel readers never
 * interleave within a line. Each batch is flushed as it is written, so that a reader downstream sees
 * the lines as the export produces them, not when it ends.
 *
 * <p>A write that fails is remembered and every later one refused at once: once the reader has gone
 * ({@code | head}), the export stops instead of reading the rest of the project for nobody.
 */
public final class StandardOutputLines implements AutoCloseable {
  private static final Map<String, StandardOutputLines> OPEN = new ConcurrentHashMap<>();

  private final String id = UUID.randomUUID().toString();
  private final OutputStream out;
  private volatile IOException failure;

  private StandardOutputLines(OutputStream out) {
    this.out = out;
  }

  /** Makes {@code out} the destination of the workers given {@link #id()}, until {@link #close()}. */
  public static StandardOutputLines open(OutputStream out) {
    StandardOutputLines lines = new StandardOutputLines(out);
    OPEN.put(lines.id, lines);
    return lines;
  }

  /** The destination opened with {@code id} in this JVM, or null if it runs elsewhere. */
  static StandardOutputLines inThisJvm(String id) {
    return OPEN.get(id);
  }

  public String id() {
    return id;
  }

  /**
   * Writes {@code records} as lines here, counted into the live counts of run {@code countsId}; the
   * format's header (a CSV header row) first, now, before any line.
   */
  public <T> void writeFrom(PCollection<T> records, RecordLines<T> lines, String countsId) {
    byte[] header = lines.header();
    if (header.length > 0) {
      try {
        write(header, header.length);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("cannot write to standard output", e);
      }
    }
    records.apply("WriteToStandardOutput", ParDo.of(new StandardOutputLinesFn<>(id, lines, countsId)));
  }

  /** Writes {@code length} bytes of whole lines and flushes them. */
  void write(byte[] lines, int length) throws IOException {
    synchronized (this) {
      if (failure != null) {
        throw new IOException("standard output was closed: " + failure.getMessage(), failure);
      }
      try {
        out.write(lines, 0, length);
        out.flush();
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }
  }

  /**
   * Why writing failed, or null if it never did. A broken pipe ("Broken pipe", EPIPE) means the
   * reader downstream has gone, as with {@code | head}.
   */
  public IOException failure() {
    return failure;
  }

  /** Whether writing failed because the reader of the pipe has gone. */
  public boolean readerGone() {
    IOException f = failure;
    return f != null && f.getMessage() != null && f.getMessage().contains("Broken pipe");
  }

  @Override
  public void close() {
    OPEN.remove(id);
  }
}
