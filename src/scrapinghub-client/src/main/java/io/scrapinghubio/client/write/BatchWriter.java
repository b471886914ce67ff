package io.scrapinghubio.client.write;

import io.scrapinghubio.client.errors.ScrapinghubException;
import io.scrapinghubio.client.errors.ValueTooLargeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Buffers records and uploads them in batches of at most {@code maxRecords} records and
 * {@code maxBatchBytes} bytes through a {@link BatchUploader}.
 *
 * <p><b>Guarantees.</b> Every batch carries the absolute offset of its first record
 * ({@code ?start=}), fixed when the batch is sealed, so re-sending it after a failure stores the
 * same records at the same positions: retries never duplicate. Batches are uploaded strictly in
 * order; a batch is forgotten only once the service has acknowledged it. When an upload fails after
 * the client's retry policy is exhausted, {@link #write}, {@link #flush} or {@link #close} throws
 * {@link BatchUploadException} and the writer keeps the failed batch and everything after it:
 * call {@code flush()} again later, or {@link #discardPending()} to take them out for a dead-letter
 * store. Nothing is ever dropped silently (unlike python-scrapinghub's uploader, which gives up after
 * 200 attempts and moves on).
 *
 * <p><b>Bad records</b> are rejected by {@code write()} before they are buffered, so one can never
 * take a batch down: a record over {@code maxRecordBytes} encoded bytes (UTF-8 bytes, not chars)
 * raises {@link ValueTooLargeException} naming its key or position; an invalid record (e.g. a
 * collection record without {@code _key}) raises the encoder's error. A rejected record does not
 * use an offset.
 *
 * <p><b>Threads.</b> Thread-safe: {@code write()} may be called from several threads. Encoding
 * runs outside the lock; uploads run on the thread whose write filled the batch (or that called
 * {@code flush()}), holding the lock, so other writers wait while a batch is in flight. There is no
 * background thread and no timer: call {@code flush()} when records must be visible.
 *
 * <p>Not {@code AutoCloseable} on purpose: {@link #close()} returns what was written and can fail
 * with records still pending, which a try-with-resources block would make easy to overlook.
 */
public final class BatchWriter<T> {
  private final BatchUploader uploader;
  private final RecordEncoder<T> encoder;
  private final WriterOptions options;
  private final LongConsumer newcountSink;

  private final Object lock = new Object();
  private final ArrayDeque<Batch> sealed = new ArrayDeque<>();
  private List<byte[]> open = new ArrayList<>();
  private long openBytes;
  /** Offset of the first record of the open batch. */
  private long nextOffset;
  private long accepted;
  private long records;
  private long bytes;
  private long batches;
  private long newcount;
  private boolean closed;

  /**
   * A writer uploading through {@code uploader}.
   *
   * @param uploader where batches go
   * @param encoder how records become JSON lines
   * @param options batching limits and the first offset
   * @param newcountSink receives each acknowledged upload's {@code newcount} (frontier slots
   *     accumulate it per slot); may be null
   */
  public BatchWriter(BatchUploader uploader, RecordEncoder<T> encoder, WriterOptions options, LongConsumer newcountSink) {
    this.uploader = uploader;
    this.encoder = encoder;
    this.options = options;
    this.newcountSink = newcountSink;
    this.nextOffset = options.startOffset();
  }

  /**
   * Where this writer uploads.
   *
   * @return the target
   */
  public UploadTarget target() {
    return uploader.target();
  }

  /**
   * Accepts one record; uploads the pending batches when one became full.
   *
   * @param record the record
   * @throws ValueTooLargeException the record is over the size limit (not buffered)
   * @throws io.scrapinghubio.client.errors.BadRequestException the record is invalid (not buffered)
   * @throws BatchUploadException an upload failed; {@code record} itself <b>was</b> accepted and
   *     is pending with the failed batch
   * @throws IllegalStateException the writer is closed
   */
  public void write(T record) {
    long position;
    synchronized (lock) {
      position = accepted;
    }
    byte[] line = encoder.encode(record);
    if (line.length > options.maxRecordBytes()) {
      throw new ValueTooLargeException("cannot write " + encoder.describe(record, position) + " to " + target().name()
          + ": it is " + line.length + " bytes once encoded, over the limit of " + options.maxRecordBytes()
          + " bytes; the service would reject the whole batch (HTTP 413). Starts with: "
          + preview(line), -1, null);
    }
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("writer for " + target().name() + " is closed");
      }
      if (!open.isEmpty() && openBytes + line.length + 1 > options.maxBatchBytes()) {
        seal();
      }
      open.add(line);
      openBytes += line.length + 1;
      accepted++;
      if (open.size() >= options.maxRecords()) {
        seal();
      }
      if (!sealed.isEmpty()) {
        drain();
      }
    }
  }

  /**
   * Writes each record in order (see {@link #write}).
   *
   * @param records the records
   */
  public void writeAll(Iterable<? extends T> records) {
    for (T r : records) {
      write(r);
    }
  }

  /**
   * Uploads everything buffered and waits for the acknowledgements.
   *
   * @return totals so far
   * @throws BatchUploadException an upload failed; the unacknowledged records are kept
   */
  public WriteReport flush() {
    synchronized (lock) {
      seal();
      drain();
      return reportLocked();
    }
  }

  /**
   * Flushes, then refuses further writes. If the flush fails the writer stays open (so it can be
   * flushed again or drained with {@link #discardPending()}) and the error is thrown.
   *
   * @return the totals
   */
  public WriteReport close() {
    synchronized (lock) {
      if (closed) {
        return reportLocked();
      }
      WriteReport r = flush();
      closed = true;
      return r;
    }
  }

  /**
   * Totals so far, without uploading.
   *
   * @return the totals
   */
  public WriteReport report() {
    synchronized (lock) {
      return reportLocked();
    }
  }

  /**
   * The records accepted but not acknowledged, as the JSON lines that would be sent, in order.
   *
   * @return the JSON lines
   */
  public List<String> pending() {
    synchronized (lock) {
      List<String> out = new ArrayList<>();
      for (Batch b : sealed) {
        b.lines().forEach(l -> out.add(new String(l, StandardCharsets.UTF_8)));
      }
      open.forEach(l -> out.add(new String(l, StandardCharsets.UTF_8)));
      return out;
    }
  }

  /**
   * Removes and returns every unacknowledged record (e.g. to dead-letter them). The offsets they
   * held are reused by the next records written, so a job's items stay contiguous.
   *
   * @return the JSON lines
   */
  public List<String> discardPending() {
    synchronized (lock) {
      List<String> out = pending();
      if (!sealed.isEmpty()) {
        nextOffset = sealed.peekFirst().start();
      }
      sealed.clear();
      open = new ArrayList<>();
      openBytes = 0;
      accepted -= out.size();
      return out;
    }
  }

  private void seal() {
    if (open.isEmpty()) {
      return;
    }
    Batch b = new Batch(nextOffset, open, openBytes);
    nextOffset += open.size();
    sealed.addLast(b);
    open = new ArrayList<>();
    openBytes = 0;
  }

  private void drain() {
    while (!sealed.isEmpty()) {
      Batch b = sealed.peekFirst();
      UploadResult r;
      try {
        r = uploader.upload(b);
      } catch (ScrapinghubException e) {
        long pendingRecords = pendingCountLocked();
        throw new BatchUploadException("upload of " + b.size() + " records at offset " + b.start() + " to "
            + target().name() + " failed: " + e.getMessage() + ". " + pendingRecords
            + " records are kept by the writer: flush() to retry, or discardPending() to take them out.",
            pendingRecords, e);
      }
      sealed.removeFirst();
      records += r.records();
      bytes += r.bytes();
      batches++;
      newcount += r.newcount();
      if (newcountSink != null && r.newcount() != 0) {
        newcountSink.accept(r.newcount());
      }
    }
  }

  private long pendingCountLocked() {
    long n = open.size();
    for (Batch b : sealed) {
      n += b.size();
    }
    return n;
  }

  private WriteReport reportLocked() {
    return new WriteReport(records, bytes, batches, newcount, pendingCountLocked());
  }

  private static String preview(byte[] line) {
    String s = new String(line, 0, Math.min(line.length, 120), StandardCharsets.UTF_8);
    return s + (line.length > 120 ? "..." : "");
  }
}
