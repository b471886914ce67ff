package io.scrapinghubio.client.read;

import io.scrapinghubio.client.core.Internal;
import io.scrapinghubio.client.http.CallOptions;
import io.scrapinghubio.client.http.HttpResult;
import io.scrapinghubio.client.http.HttpTransport;
import io.scrapinghubio.client.metrics.ClientStats;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.Executor;
import okhttp3.HttpUrl;

/**
 * Reads a job's records {@code [from, to)} as a window of streamed pages: requests of
 * {@code pageSize} records ({@code start=<job>/<offset>&count=N}), up to {@code 1 + prefetchPages}
 * of them in flight at once, each handing its records over as they arrive ({@link StreamedPage}).
 *
 * <p>Why a window of streams: at a distance every request pays a round trip before its first
 * byte, and one stream over a long path carries a limited rate. A one-stream tool (one request per
 * job) pays the round trip once per job and is capped by one stream's rate; a page loop pays it
 * once per page. Here the round trips of the next pages overlap the transfer of the current one,
 * and several streams share the path, while the caller still sees the records in order.
 *
 * <p>Exact resume: each page checks every record's {@code _key} against the index expected next
 * and resumes a cut body from the first record it lacks, so nothing is lost or repeated. A page
 * that ends cleanly with fewer records than asked marks the end of the job's records (as the
 * official client's {@code list_iter}); the pages requested past it are dropped.
 *
 * <p>Bounded memory: at most {@link ReadSpec#bufferBytes()} bytes of records wait in the pages
 * for the caller (plus one receive buffer per page). A caller that pauses stalls the streams; one
 * that stays away longer than {@link StreamedPage#STALL_CLOSE_NANOS} has them closed and resumed
 * later, so a slow consumer never holds the service's connections open.
 *
 * <p>With a filter the pages run one at a time (each starts after the last record the previous
 * one matched). Samples carry no {@code _key}: they are read in one request and indexed by
 * position. Not thread-safe: one consumer per reader.
 */
public final class PagedReader implements Iterator<JobRecord>, AutoCloseable {
  private final HttpTransport transport;
  private final ReadSpec spec;
  private final Executor executor;
  private final ClientStats stats;
  private final java.util.function.LongSupplier recordCount;
  private final boolean filtered;
  private final int window;
  private final long pageBytes;

  /** Pages requested, in offset order; the head is the one being read. */
  private final ArrayDeque<StreamedPage> ahead = new ArrayDeque<>();
  private List<JobRecord> batch = List.of();
  private int batchPos;
  /** Next index the caller should see; everything before it has been delivered. */
  private long nextIndex;
  /** Offset the next not-yet-requested page starts at. */
  private long nextRequestOffset;
  private boolean exhausted;
  /** msgpack pages are fetched whole, so they stay bounded: no rest-of-job request. */
  private final boolean wholePages;
  private boolean sawFullPage;
  /**
   * A read to an unknown end asks the job's record count once its first page came back full (so a
   * job of one page never costs the request); once it is known the rest-of-job stream is cut and
   * its tail spread over the window ({@link #spread}).
   */
  private java.util.concurrent.CompletableFuture<Long> size;
  /** The job's record count at the start, once known; past it the last page is again "the rest". */
  private long knownEnd = -1;

  /**
   * @param transport the client's transport
   * @param spec what to read
   * @param executor threads that fetch pages ahead
   * @param stats where traffic is counted
   * @param recordCount the job's record count from its stats ({@code JobData::count}), asked only
   *     by a read to the job's end whose first page came back full
   */
  @Internal
  public PagedReader(HttpTransport transport, ReadSpec spec, Executor executor, ClientStats stats,
      java.util.function.LongSupplier recordCount) {
    this.recordCount = recordCount;
    this.transport = transport;
    this.spec = spec;
    this.executor = executor;
    this.stats = stats;
    this.filtered = !spec.filters().isEmpty();
    this.window = filtered ? 1 : 1 + spec.prefetchPages();
    this.pageBytes = Math.max(1, spec.bufferBytes() / window);
    this.nextIndex = spec.from();
    this.nextRequestOffset = spec.from();
    this.exhausted = spec.from() >= spec.to();
    this.wholePages = StreamedPage.msgpack(transport, spec);
  }

  private long countOrUnknown() {
    try {
      return recordCount.getAsLong();
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /**
   * Once the job's record count is known, cuts the rest-of-job stream so that it carries an equal
   * share of what is left and lets {@link #schedule()} request the rest in pages of the same share,
   * one stream per free place of the window; the last page asks for everything from there on, so
   * records added since the count (a running job) are still read.
   */
  private void spread() {
    if (size == null || !size.isDone()) {
      return;
    }
    long n = size.getNow(-1L);
    size = null;
    StreamedPage rest = ahead.peekLast();
    if (n < 0 || rest == null || !rest.restOfJob()) {
      return;
    }
    long left = n - rest.nextIndex();
    int streams = window - ahead.size() + 1;
    // Worth it when the rest on one stream takes longer than a round trip (the count's answer
    // took one) plus the rest on all: a slow or far stream, not a fast one near the end.
    long now = System.nanoTime();
    double perStream = (rest.nextIndex() - rest.offset) / Math.max(1e-3, (now - rest.startedNanos) / 1e9);
    double roundTrip = (now - sizeAskedNanos) / 1e9;
    if (streams < 2 || left < 2L * streams || perStream <= 0
        || left / perStream <= roundTrip + left / (perStream * streams)) {
      return;
    }
    long share = (left + streams - 1) / streams;
    long cut = rest.cutAt(rest.nextIndex() + share);
    knownEnd = n;
    splitPageSize = share;
    nextRequestOffset = cut;
  }

  /** When the record count was asked: its answer took about one round trip. */
  private long sizeAskedNanos;

  /** Records per page of the spread tail (see {@link #spread}). */
  private long splitPageSize;

  /**
   * Index of the next record this reader will return (the resume point).
   *
   * @return the index
   */
  public long position() {
    return nextIndex;
  }

  /**
   * Bytes of records received and waiting for the caller in the pages in flight: at most
   * {@link ReadSpec#bufferBytes()} plus one receive buffer (128 KiB) per page.
   *
   * @return the bytes
   */
  public long bufferedBytes() {
    long n = 0;
    for (StreamedPage p : ahead) {
      n += p.bufferedBytes();
    }
    return n;
  }

  @Override
  public boolean hasNext() {
    while (batchPos >= batch.size() && !exhausted) {
      fill();
    }
    return batchPos < batch.size();
  }

  @Override
  public JobRecord next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    JobRecord r = batch.get(batchPos++);
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
    spread();
    schedule();
    StreamedPage page = ahead.peek();
    if (page == null) {
      exhausted = true; // the range ends exactly where the last full page ended
      return;
    }
    List<JobRecord> next = page.take();
    if (next != null) {
      batch = next;
      batchPos = 0;
      return;
    }
    ahead.poll();
    boolean full = filtered ? page.received() >= page.count : page.nextIndex() >= page.end();
    if (filtered) {
      nextRequestOffset = page.nextIndex();
    }
    if (!full || page.restOfJob()) {
      // Fewer records than asked (or the rest of the job in one request): the job ends here.
      exhausted = true;
      cancelAhead();
    } else {
      if (!sawFullPage && window > 2 && ahead.size() == 1 && ahead.peek().restOfJob()) {
        // The job is longer than a page: its record count lets the rest be spread over the window.
        sizeAskedNanos = System.nanoTime();
        // -1 when the count cannot be had: the rest-of-job stream then carries the rest alone.
        size = java.util.concurrent.CompletableFuture.supplyAsync(this::countOrUnknown, executor);
      }
      sawFullPage = true;
    }
  }

  /**
   * Keeps the window full. A read with a known end (a pipeline's range) asks for its pages up to
   * that end. A read "to the end of the job" does not know where that is: it asks for one page
   * and, beside it, for everything after that page in one request, so a small job costs at most
   * one empty answer, a job past one page is read by two streams at once from the first round
   * trip, and the read is never slower than the one-stream tools' single request.
   */
  private void schedule() {
    // Whole (msgpack) pages of a read to an unknown end: read-ahead once a page came back full.
    int depth = wholePages && !spec.bounded() && !sawFullPage ? 1 : window;
    while (ahead.size() < depth && nextRequestOffset < spec.to()) {
      long offset = nextRequestOffset;
      // msgpack pages are buffered whole, so they are never unbounded.
      int pageSize = wholePages && spec.pageSize() == ReadSpec.WHOLE_RANGE ? ReadSpec.DEFAULT_PAGE_SIZE : spec.pageSize();
      long count;
      if (knownEnd >= 0) {
        // the spread tail: shares of the known count, then the rest of the job
        count = offset + splitPageSize >= knownEnd ? Long.MAX_VALUE : splitPageSize;
      } else if (pageSize == ReadSpec.WHOLE_RANGE) {
        count = spec.bounded() && !filtered ? spec.to() - offset : Long.MAX_VALUE;
      } else if (filtered) {
        count = pageSize;
      } else if (!spec.bounded() && !ahead.isEmpty() && !wholePages) {
        count = Long.MAX_VALUE; // the rest of the job, beside the first page
      } else {
        count = Math.min(pageSize, spec.to() - offset);
      }
      ahead.add(new StreamedPage(transport, spec, offset, count, pageBytes).start(executor));
      if (filtered) {
        nextRequestOffset = Long.MAX_VALUE; // known once this page is complete
        break;
      }
      nextRequestOffset = count == Long.MAX_VALUE ? Long.MAX_VALUE : offset + count;
    }
  }

  /** Samples carry no {@code _key}: read them in one request and index them by position. */
  private void fillUnkeyed() {
    HttpUrl.Builder url = transport.storage(spec.type().path(), spec.job().toString());
    for (String f : spec.filters()) {
      url.addQueryParameter("filter", f);
    }
    boolean mp = transport.config().readFormat() == io.scrapinghubio.client.core.ReadFormat.MSGPACK;
    HttpResult res = mp
        ? transport.get(url.build(), HttpTransport.MSGPACK, CallOptions.IDEMPOTENT)
        : transport.get(url.build(), HttpTransport.JSON_LINES, CallOptions.IDEMPOTENT_JSON_LINES);
    List<JobRecord> records = res.isMsgpack()
        ? MsgpackDecoder.decode(res.body(), spec.job(), false, true, 0)
        : JsonLinesDecoder.decode(res.body(), spec.job(), false, true, 0);
    batch = records.stream().filter(r -> r.index() >= spec.from() && r.index() < spec.to()).toList();
    batchPos = 0;
    exhausted = true;
  }

  private void cancelAhead() {
    for (StreamedPage p : ahead) {
      p.cancel();
    }
    ahead.clear();
  }

  @Override
  public void close() {
    cancelAhead();
    batch = List.of();
    batchPos = 0;
    exhausted = true;
  }
}
