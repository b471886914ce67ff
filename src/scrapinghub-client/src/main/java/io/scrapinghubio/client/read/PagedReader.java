package io.scrapinghubio.client.read;

import io.scrapinghubio.client.errors.ScrapinghubException;
import io.scrapinghubio.client.http.CallOptions;
import io.scrapinghubio.client.metrics.ClientStats;
import io.scrapinghubio.client.http.HttpResult;
import io.scrapinghubio.client.http.HttpTransport;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import okhttp3.HttpUrl;

/**
 * Streams a job's records in bounded pages ({@code start=<job>/<offset>&count=N}), with bounded
 * memory and exact resume.
 *
 * <p>Each page is requested, read whole and checked (complete body, {@code _key} indices in
 * sequence) before any of its records is handed out; a failure while fetching it is retried as a
 * whole by the transport. So the offset and remaining count of every request follow from what was
 * actually delivered: no record is lost or repeated, and a slow consumer never holds an HTTP
 * stream open (the failure mode of python-scrapinghub's long-lived iterators).
 *
 * <p>While the caller works through one page the next {@code prefetchPages} are already being
 * fetched, so request latency is hidden; with 0 the next page is requested only when the current
 * one is used up. Memory is bounded by {@code (1 + prefetchPages)} pages.
 * Not thread-safe: one consumer per reader.
 */
public final class PagedReader implements Iterator<JobRecord>, AutoCloseable {
  private final HttpTransport transport;
  private final ReadSpec spec;
  private final Executor executor;
  private final ClientStats stats;
  private final boolean filtered;

  private final ArrayDeque<JobRecord> buffered = new ArrayDeque<>();
  /** In-flight or finished page fetches, in offset order (only when unfiltered). */
  private final ArrayDeque<PendingPage> ahead = new ArrayDeque<>();
  /** Next index the caller should see; everything before it has been delivered. */
  private long nextIndex;
  /** Offset the next not-yet-requested page starts at. */
  private long nextRequestOffset;
  private boolean exhausted;
  private boolean sawFullPage;

  public PagedReader(HttpTransport transport, ReadSpec spec, Executor executor, ClientStats stats) {
    this.transport = transport;
    this.spec = spec;
    this.executor = executor;
    this.stats = stats;
    this.filtered = !spec.filters().isEmpty();
    this.nextIndex = spec.from();
    this.nextRequestOffset = spec.from();
    this.exhausted = spec.from() >= spec.to();
  }

  /** Index of the next record this reader will return (the resume point). */
  public long position() {
    return nextIndex;
  }

  @Override
  public boolean hasNext() {
    while (buffered.isEmpty() && !exhausted) {
      fill();
    }
    return !buffered.isEmpty();
  }

  @Override
  public JobRecord next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    JobRecord r = buffered.poll();
    nextIndex = r.index() + 1;
    if (stats != null) {
      stats.recordDelivered(r.jsonBytes().length);
    }
    return r;
  }

  private void fill() {
    if (!spec.type().hasKeys()) {
      fillUnkeyed();
      return;
    }
    if (ahead.isEmpty()) {
      schedule(1); // the page needed now
    }
    PendingPage page = ahead.poll();
    if (page == null) {
      exhausted = true; // the range ends exactly where the last full page ended
      return;
    }
    // Speculative pages assume the one before was full; if the service returned fewer records,
    // the guess is wrong, so drop the read-ahead and ask again from where we really are.
    if (page.offset != nextIndex && !filtered) {
      cancelAhead();
      nextRequestOffset = nextIndex;
      return;
    }
    List<JobRecord> records = page.await();
    long expected = nextIndex;
    for (JobRecord r : records) {
      if (r.index() >= spec.to()) {
        exhausted = true;
        break;
      }
      if (r.index() < expected || (!filtered && r.index() != expected)) {
        throw new ScrapinghubException("job " + spec.job() + " " + spec.type().path() + ": expected record "
            + spec.job().recordKey(expected) + " but the service returned " + r.key()
            + "; refusing to skip or repeat records");
      }
      buffered.add(r);
      expected = r.index() + 1;
    }
    if (records.size() == page.count) {
      sawFullPage = true;
    }
    if (records.isEmpty() || (filtered && records.size() < page.count)) {
      exhausted = true; // no more (matching) records up to the end of the job
    } else if (records.size() < page.count && !exhausted) {
      // Fewer than asked: the speculative pages assumed a full one, so drop them and ask again
      // from where we really are; an empty answer confirms the end (a job still running may
      // have more records by then, and a server that caps count loses nothing).
      cancelAhead();
      nextRequestOffset = expected;
    }
    if (filtered) {
      nextRequestOffset = expected;
    }
    if (!exhausted) {
      // Read-ahead while the caller works through this page. None until a page came back full:
      // most jobs fit in one page, and a speculative second request for them would be wasted.
      schedule(filtered || !sawFullPage ? Math.min(1, spec.prefetchPages()) : spec.prefetchPages());
    }
  }

  /** Requests pages until {@code depth} are in flight (filtered reads: one, their start depends on the last). */
  private void schedule(int depth) {
    while (ahead.size() < depth && nextRequestOffset < spec.to()) {
      long offset = nextRequestOffset;
      int count = (int) Math.min(spec.pageSize(), spec.to() - offset);
      ahead.add(new PendingPage(offset, count, CompletableFuture.supplyAsync(() -> fetch(offset, count), executor)));
      nextRequestOffset = offset + count;
      if (filtered) {
        break;
      }
    }
  }

  private List<JobRecord> fetch(long offset, int count) {
    HttpUrl.Builder url = transport.storage(spec.type().path(), spec.job().toString())
        .addQueryParameter("start", spec.job().recordKey(offset))
        .addQueryParameter("count", Integer.toString(count))
        .addQueryParameter("meta", "_key");
    if (spec.timestamps()) {
      url.addQueryParameter("meta", "_ts");
    }
    for (String f : spec.filters()) {
      url.addQueryParameter("filter", f);
    }
    if (spec.timestamps()) {
      // The store time is taken from the JSON line's tail (or head) like _key; msgpack is not worth a second path.
      HttpResult res = transport.get(url.build(), HttpTransport.JSON_LINES, CallOptions.IDEMPOTENT_JSON_LINES);
      return JsonLinesDecoder.decode(res.body(), spec.job(), true, spec.keepKey(), offset, true);
    }
    // Logs come back from the real service without _key in msgpack, so they are indexed by
    // position; with a filter positions are unknown, hence JSON lines for filtered logs.
    boolean mp = msgpack() && !(spec.type() == JobDataType.LOGS && filtered);
    if (!mp) {
      HttpResult res = transport.get(url.build(), HttpTransport.JSON_LINES, CallOptions.IDEMPOTENT_JSON_LINES);
      return JsonLinesDecoder.decode(res.body(), spec.job(), true, spec.keepKey(), offset);
    }
    for (int attempt = 1; ; attempt++) {
      HttpResult res = transport.get(url.build(), HttpTransport.MSGPACK, CallOptions.IDEMPOTENT);
      try {
        return res.isMsgpack()
            ? MsgpackDecoder.decode(res.body(), spec.job(), true, spec.keepKey(), offset)
            : JsonLinesDecoder.decode(res.body(), spec.job(), true, spec.keepKey(), offset);
      } catch (ScrapinghubException e) {
        // A msgpack body cut inside a value cannot be detected before decoding: fetch the page again.
        if (attempt >= MSGPACK_DECODE_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private static final int MSGPACK_DECODE_ATTEMPTS = 3;

  /** Whether to ask for msgpack: chosen in the client config; requests are only served as JSON. */
  private boolean msgpack() {
    return transport.config().readFormat() == io.scrapinghubio.client.core.ReadFormat.MSGPACK && spec.type() != JobDataType.REQUESTS;
  }

  /** Samples carry no {@code _key}: read them in one request and index them by position. */
  private void fillUnkeyed() {
    HttpUrl.Builder url = transport.storage(spec.type().path(), spec.job().toString());
    for (String f : spec.filters()) {
      url.addQueryParameter("filter", f);
    }
    HttpResult res = msgpack()
        ? transport.get(url.build(), HttpTransport.MSGPACK, CallOptions.IDEMPOTENT)
        : transport.get(url.build(), HttpTransport.JSON_LINES, CallOptions.IDEMPOTENT_JSON_LINES);
    List<JobRecord> records = res.isMsgpack()
        ? MsgpackDecoder.decode(res.body(), spec.job(), false, true, 0)
        : JsonLinesDecoder.decode(res.body(), spec.job(), false, true, 0);
    for (JobRecord r : records) {
      if (r.index() >= spec.from() && r.index() < spec.to()) {
        buffered.add(r);
      }
    }
    exhausted = true;
  }

  private void cancelAhead() {
    for (PendingPage p : ahead) {
      p.future.cancel(false);
    }
    ahead.clear();
  }

  @Override
  public void close() {
    cancelAhead();
    buffered.clear();
    exhausted = true;
  }

  private static final class PendingPage {
    final long offset;
    final int count;
    final CompletableFuture<List<JobRecord>> future;

    PendingPage(long offset, int count, CompletableFuture<List<JobRecord>> future) {
      this.offset = offset;
      this.count = count;
      this.future = future;
    }

    List<JobRecord> await() {
      try {
        return future.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException) {
          throw (RuntimeException) e.getCause();
        }
        throw e;
      } catch (CancellationException e) {
        throw new IllegalStateException("page fetch was cancelled", e);
      }
    }
  }
}
