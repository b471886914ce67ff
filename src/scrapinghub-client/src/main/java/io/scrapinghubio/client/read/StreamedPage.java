package io.scrapinghubio.client.read;

import io.scrapinghubio.client.errors.ScrapinghubException;
import io.scrapinghubio.client.errors.TransportException;
import io.scrapinghubio.client.http.CallOptions;
import io.scrapinghubio.client.http.HttpResult;
import io.scrapinghubio.client.http.HttpTransport;
import io.scrapinghubio.client.http.ResumeBackoff;
import io.scrapinghubio.client.http.StreamedBody;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;

/**
 * One request's worth of records, {@code [offset, offset + count)}, fetched on a pool thread and
 * handed to the reader in batches as the body arrives.
 *
 * <p>Exact resume: every record carries its {@code _key}, each is checked to be the one expected
 * next, and a body cut mid-way (or ended inside a line) is requested again from the first record
 * not yet received, with the remaining count, after the client's retry schedule
 * ({@link ResumeBackoff}). Nothing is lost or repeated, however often the stream breaks.
 *
 * <p>Bounded memory: at most {@code maxBytes} of records wait here for the reader (plus the batch
 * being decoded, at most one receive buffer). When the reader does not take them the fetch stops
 * reading, so the service's sending stalls on TCP flow control; if the reader stays away longer
 * than {@link #STALL_CLOSE_NANOS} the request is closed, so a paused consumer never holds a
 * connection of the service open, and the rest is requested again once the reader catches up.
 *
 * <p>{@code count == Long.MAX_VALUE} asks for the rest of the job in one request (no {@code count}
 * parameter), as the one-stream tools do.
 */
final class StreamedPage implements Runnable {
  /** A reader away this long has the stream closed, and resumed once it takes records again. */
  static final long STALL_CLOSE_NANOS = TimeUnit.SECONDS.toNanos(10);
  /** Bytes asked of the socket per read; a batch is decoded when this much is waiting or the wire pauses. */
  static final int RECEIVE_BUFFER = 128 * 1024;
  private static final int MSGPACK_DECODE_ATTEMPTS = 3;

  final long offset;
  final long count;
  private final HttpTransport transport;
  private final ReadSpec spec;
  private final boolean filtered;
  private final long maxBytes;

  // Guarded by this.
  private final ArrayDeque<Batch> batches = new ArrayDeque<>();
  private long bufferedBytes;
  private boolean finished;
  private RuntimeException failure;
  private boolean cancelled;
  private Runnable cancelCall;

  /** Index of the next record expected from the service (everything before it was received). */
  private long next;
  /** Records received in all. */
  private long received;

  StreamedPage(HttpTransport transport, ReadSpec spec, long offset, long count, long maxBytes) {
    this.transport = transport;
    this.spec = spec;
    this.offset = offset;
    this.count = count;
    this.filtered = !spec.filters().isEmpty();
    this.maxBytes = Math.max(1, maxBytes);
    this.next = offset;
  }

  /** When this page was requested: with {@link #received()}, the rate one stream carries. */
  final long startedNanos = System.nanoTime();

  StreamedPage start(Executor executor) {
    try {
      executor.execute(this);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      throw new IllegalStateException("cannot read job " + spec.job() + ": its ScrapinghubClient was closed", e);
    }
    return this;
  }

  /**
   * End of the indices this page asked for (exclusive); {@code Long.MAX_VALUE} for the rest of the
   * job. With a filter, {@code count} counts matching records, wherever they are: only the read's
   * own end bounds their indices.
   */
  long end() {
    long end = count == Long.MAX_VALUE || filtered ? spec.to() : Math.min(spec.to(), offset + count);
    return Math.min(end, cut);
  }

  /** Where the reader cut this page ({@link #cutAt}); {@code Long.MAX_VALUE} while uncut. */
  private volatile long cut = Long.MAX_VALUE;

  /** Whether everything asked for has been received. */
  private synchronized boolean complete() {
    return next >= end() || (filtered && count != Long.MAX_VALUE && received >= count);
  }

  // ------------------------------------------------------------------ reader side

  /**
   * The next batch, waiting for it; null once the page is complete and drained.
   *
   * @throws RuntimeException the fetch's failure, once the batches before it are taken
   */
  synchronized List<JobRecord> take() {
    while (batches.isEmpty() && !finished && failure == null) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ScrapinghubException("interrupted while waiting for records of job " + spec.job(), -1, e);
      }
    }
    Batch b = batches.poll();
    if (b != null) {
      bufferedBytes -= b.bytes;
      notifyAll();
      return b.records;
    }
    if (failure != null) {
      throw failure;
    }
    return null;
  }

  /** Bytes of records waiting here for the reader. */
  synchronized long bufferedBytes() {
    return bufferedBytes;
  }

  /** Index after the last record received; final once {@link #take()} returned null. */
  synchronized long nextIndex() {
    return next;
  }

  /** Records received in all; final once {@link #take()} returned null. */
  synchronized long received() {
    return received;
  }

  /** Stops the fetch from the reader's thread; the pool thread exits without retrying or logging. */
  void cancel() {
    Runnable c;
    synchronized (this) {
      cancelled = true;
      batches.clear();
      bufferedBytes = 0;
      c = cancelCall;
      notifyAll();
    }
    if (c != null) {
      c.run();
    }
  }

  // ------------------------------------------------------------------ pool side

  @Override
  public void run() {
    try {
      if (msgpack()) {
        fetchWhole();
      } else {
        stream();
      }
      finish(null);
    } catch (RuntimeException e) {
      finish(e);
    } catch (InterruptedException e) {
      finish(new ScrapinghubException("interrupted while reading job " + spec.job(), -1, e));
    }
  }

  private void stream() throws InterruptedException {
    ResumeBackoff backoff = null;
    while (!isCancelled() && !complete()) {
      HttpUrl url = url(next);
      long before = next;
      try (StreamedBody body = transport.openStream(url, HttpTransport.JSON_LINES, this::onCall)) {
        if (receive(body)) {
          return; // the service has no more (matching) records
        }
        // The reader stayed away: the stream was closed; go on from here once it takes records.
        awaitRoom();
      } catch (IOException e) {
        if (isCancelled()) {
          return;
        }
        if (Thread.currentThread().isInterrupted()
            || (e instanceof java.io.InterruptedIOException && !(e instanceof java.net.SocketTimeoutException))) {
          // The client is closing (its pool interrupts its threads): stop, neither resume nor log a retry.
          throw new ScrapinghubException("read of job " + spec.job() + " interrupted at record " + next
              + ": the client was closed", -1, e);
        }
        if (backoff == null) {
          backoff = transport.resumeBackoff(url);
        } else if (next > before) {
          backoff.progressed();
        }
        if (!backoff.awaitResume(e, next)) {
          throw new TransportException("GET " + spec.type().path() + " of job " + spec.job() + " was cut at record "
              + next + " and could not be resumed within the retry policy (" + e + ")", e);
        }
      } catch (ScrapinghubException e) {
        if (isCancelled()) {
          return;
        }
        throw e;
      }
    }
  }

  /**
   * Reads the body to its end: true when it ended cleanly (the page is complete), false when it
   * was left because the reader stopped taking records. A cut or a last line without its end
   * throws, to be resumed from {@link #next}.
   */
  private boolean receive(StreamedBody body) throws IOException, InterruptedException {
    byte[] buf = new byte[RECEIVE_BUFFER];
    int filled = 0;
    while (true) {
      if (filled == buf.length) {
        buf = java.util.Arrays.copyOf(buf, buf.length * 2); // one record longer than the buffer
      }
      int n = body.read(buf, filled, buf.length - filled);
      if (n < 0) {
        if (filled > 0 && !StreamedBody.endsWithCompleteLine(java.util.Arrays.copyOf(buf, filled))) {
          throw new IOException("body ends inside a record after " + received + " records: cut short");
        }
        if (filled > 0) {
          deliver(buf, 0, filled);
        }
        return true;
      }
      filled += n;
      if (filled < RECEIVE_BUFFER / 2 && body.available() > 0) {
        continue; // more is already here: decode bigger batches
      }
      int lastNl = lastNewline(buf, filled);
      if (lastNl < 0) {
        continue;
      }
      boolean more = deliver(buf, 0, lastNl + 1);
      int rest = filled - lastNl - 1;
      System.arraycopy(buf, lastNl + 1, buf, 0, rest);
      filled = rest;
      if (!more) {
        return true;
      }
      if (!awaitRoomOrStall()) {
        return false;
      }
    }
  }

  /**
   * Decodes and checks the complete lines of {@code buf[from, to)} and queues them; false when the
   * page's end was reached (a record at or past it: the rest of the body is not needed).
   */
  private boolean deliver(byte[] buf, int from, int to) {
    List<JobRecord> records = JsonLinesDecoder.decode(buf, from, to, spec.job(), true, spec.keepKey(), next,
        spec.timestamps());
    checkInOrder(records);
    return enqueue(records);
  }

  /**
   * Each record (up to the page's end; checked again under the lock, where a cut may have moved
   * the end) must be the one expected next, or with a filter one after it.
   */
  private void checkInOrder(List<JobRecord> records) {
    long expected = next;
    long end = end();
    for (JobRecord r : records) {
      if (r.index() >= end) {
        return;
      }
      if (r.index() < expected || (!filtered && r.index() != expected)) {
        throw new ScrapinghubException("job " + spec.job() + " " + spec.type().path() + ": expected record "
            + spec.job().recordKey(expected) + " but the service returned " + r.key()
            + "; refusing to skip or repeat records");
      }
      expected = r.index() + 1;
    }
  }

  /**
   * Queues the records before the page's end, under the lock that {@link #cutAt} takes, so a page
   * cut while a batch is decoded never hands over a record past its new end. False once the end
   * is reached (the rest of the body is not needed).
   */
  private synchronized boolean enqueue(List<JobRecord> records) {
    if (cancelled) {
      return false;
    }
    long end = end();
    int keep = 0;
    long bytes = 0;
    while (keep < records.size() && records.get(keep).index() < end) {
      bytes += records.get(keep).jsonBytes().length;
      keep++;
    }
    if (keep > 0) {
      batches.add(new Batch(keep == records.size() ? records : records.subList(0, keep), bytes));
      bufferedBytes += bytes;
      received += keep;
      next = records.get(keep - 1).index() + 1;
      notifyAll();
    }
    return keep == records.size() && next < end;
  }

  /**
   * Ends this page at index {@code at} (or where it has already got to, if further): the reader
   * hands the rest to other pages. Returns the new end.
   */
  synchronized long cutAt(long at) {
    cut = Math.max(at, next);
    notifyAll();
    return cut;
  }

  /** Whether this page is the rest of the job in one request, not cut since. */
  synchronized boolean restOfJob() {
    return count == Long.MAX_VALUE && cut == Long.MAX_VALUE;
  }

  /** Waits while the queue is over its bound; false when the reader stayed away past the stall limit. */
  private synchronized boolean awaitRoomOrStall() throws InterruptedException {
    long deadline = System.nanoTime() + STALL_CLOSE_NANOS;
    while (bufferedBytes >= maxBytes && !cancelled) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  private synchronized void awaitRoom() throws InterruptedException {
    while (bufferedBytes >= maxBytes && !cancelled) {
      wait();
    }
  }

  /** Pages in msgpack (opt-in) are fetched whole: a cut inside a msgpack value cannot be told from its end. */
  private void fetchWhole() {
    HttpUrl url = url(next);
    List<JobRecord> records = null;
    for (int attempt = 1; records == null; attempt++) {
      HttpResult res = transport.get(url, HttpTransport.MSGPACK, CallOptions.IDEMPOTENT);
      try {
        records = res.isMsgpack()
            ? MsgpackDecoder.decode(res.body(), spec.job(), true, spec.keepKey(), offset)
            : JsonLinesDecoder.decode(res.body(), spec.job(), true, spec.keepKey(), offset);
      } catch (ScrapinghubException e) {
        // A msgpack body cut inside a value cannot be detected before decoding: fetch the page again.
        if (attempt >= MSGPACK_DECODE_ATTEMPTS) {
          throw e;
        }
      }
    }
    checkInOrder(records);
    enqueue(records);
  }

  private HttpUrl url(long from) {
    HttpUrl.Builder url = transport.storage(spec.type().path(), spec.job().toString())
        .addQueryParameter("start", spec.job().recordKey(from))
        .addQueryParameter("meta", "_key");
    long remaining = filtered ? (count == Long.MAX_VALUE ? Long.MAX_VALUE : count - received)
        : end() == Long.MAX_VALUE ? Long.MAX_VALUE : end() - from;
    if (remaining != Long.MAX_VALUE) {
      url.addQueryParameter("count", Long.toString(remaining));
    }
    if (spec.timestamps()) {
      url.addQueryParameter("meta", "_ts");
    }
    for (String f : spec.filters()) {
      url.addQueryParameter("filter", f);
    }
    return url.build();
  }

  /**
   * Whether to ask for msgpack: chosen in the client config, never for requests (served as JSON
   * only), timestamped reads, or filtered logs (the real service's msgpack logs carry no
   * {@code _key}, so with a filter their positions are unknown).
   */
  private boolean msgpack() {
    return msgpack(transport, spec);
  }

  static boolean msgpack(HttpTransport transport, ReadSpec spec) {
    boolean filtered = !spec.filters().isEmpty();
    return transport.config().readFormat() == io.scrapinghubio.client.core.ReadFormat.MSGPACK
        && spec.type() != JobDataType.REQUESTS && !spec.timestamps()
        && !(spec.type() == JobDataType.LOGS && filtered);
  }

  private synchronized void onCall(Runnable cancel) {
    cancelCall = cancel;
    if (cancelled) {
      cancel.run();
    }
  }

  private synchronized boolean isCancelled() {
    return cancelled;
  }

  private synchronized void finish(RuntimeException e) {
    if (e != null && !cancelled) {
      failure = e;
    }
    finished = true;
    notifyAll();
  }

  private static int lastNewline(byte[] b, int to) {
    for (int i = to - 1; i >= 0; i--) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }


  /** Records queued for the reader with their size, summed once when they are queued. */
  private record Batch(List<JobRecord> records, long bytes) {}
}
