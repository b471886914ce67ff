package io.scrapinghubio.beam.write;

import io.scrapinghubio.beam.failure.ScrapinghubFailure;

import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.errors.BadRequestException;
import io.scrapinghubio.client.errors.ForbiddenException;
import io.scrapinghubio.client.errors.NotFoundException;
import io.scrapinghubio.client.errors.ScrapinghubException;
import io.scrapinghubio.client.errors.UnauthorizedException;
import io.scrapinghubio.client.errors.ValueTooLargeException;
import io.scrapinghubio.client.write.Batch;
import io.scrapinghubio.client.write.BatchUploader;
import io.scrapinghubio.client.write.UploadResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * Uploads sealed batches for one DoFn instance with at most {@code maxUploadsInFlight} requests
 * outstanding: {@link #submit} blocks while that many are in flight (back-pressure), so the DoFn
 * keeps encoding and batching while earlier batches are being acknowledged.
 *
 * <p>Each upload is the client's synchronous {@link BatchUploader#upload}, retried per the
 * client's retry policy on 408/429/5xx, resets and truncated answers. A batch the service refuses
 * with 400 or 413 is split in halves and re-sent until the refused record(s) stand alone; those
 * become {@link FailedRecord}s (or fail the bundle when the write has no error handler) and the rest is
 * written. Any other failure is kept and thrown by {@link #finish} or the next {@link #submit},
 * failing the bundle: after retries were exhausted, so that the runner retries it (safe because
 * collection writes are keyed and frontier fingerprints are de-duplicated by the service); on a
 * 401, 403 or 404, with the service's explanation and no promise that a retry will help.
 *
 * <p>State of a bundle (its futures, failures and error) lives in a {@link BundleState} created by
 * {@link #startBundle}, so uploads left running by a failed bundle cannot leak into the next one.
 */
final class UploadEngine {
  /** A record waiting for upload, with the timestamp and window its failure would be emitted in. */
  record Pending(byte[] line, Instant timestamp, BoundedWindow window) {}

  /** A refused record and where to emit it. */
  record Failure(FailedRecord record, Instant timestamp, BoundedWindow window) {}

  private static final AtomicInteger POOLS = new AtomicInteger();
  private static final int MAX_CACHED_DESTINATIONS = 10_000;

  private final ScrapinghubClient client;
  private final WriteTarget target;
  private final Function<String, BatchUploader> uploaders;
  /** Whether a refused record is kept for the error handler (else it fails the bundle). */
  private final boolean routesFailures;
  private final ExecutorService pool;
  private final Semaphore permits;
  private final Map<String, Destination> destinations = new ConcurrentHashMap<>();

  final LongAdder records = new LongAdder();
  final LongAdder bytes = new LongAdder();
  final LongAdder batches = new LongAdder();
  final LongAdder newcount = new LongAdder();
  /** Frontier requests the service answered as already known, in batches whose answer was not lost. */
  final LongAdder duplicates = new LongAdder();
  /** Frontier requests of re-sent batches, not new in the final answer: new or known, nobody can tell. */
  final LongAdder unconfirmed = new LongAdder();
  final LongAdder splits = new LongAdder();

  private BundleState bundle = new BundleState();

  private static final class Destination {
    final BatchUploader uploader;
    final AtomicLong offset = new AtomicLong();

    Destination(BatchUploader uploader) {
      this.uploader = uploader;
    }
  }

  /** What one bundle's uploads produced. */
  static final class BundleState {
    final List<Future<?>> futures = new ArrayList<>();
    final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
    final AtomicReference<RuntimeException> error = new AtomicReference<>();
  }

  UploadEngine(ScrapinghubClient client, WriteTarget target, long project, int maxInFlight, boolean routesFailures) {
    this.client = client;
    this.target = target;
    this.uploaders = target.uploaders(client, project);
    this.routesFailures = routesFailures;
    this.permits = new Semaphore(maxInFlight);
    int id = POOLS.incrementAndGet();
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(maxInFlight, r -> {
      Thread t = new Thread(r, "scrapinghub-io-write-" + id + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  void startBundle() {
    bundle = new BundleState();
  }

  /**
   * Uploads {@code batch} to {@code destination} in the background; blocks while the maximum
   * number of uploads is in flight.
   *
   * @throws RuntimeException an earlier upload of this bundle failed for good
   */
  void submit(String destination, List<Pending> batch) {
    BundleState b = bundle;
    rethrow(b);
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for an upload slot", e);
    }
    try {
      b.futures.add(pool.submit(() -> run(b, destination, batch)));
    } catch (RuntimeException e) {
      permits.release();
      throw e;
    }
    b.futures.removeIf(Future::isDone);
  }

  /**
   * Waits for every upload of the bundle; returns the refused records.
   *
   * @throws RuntimeException an upload failed for good (the bundle should be retried)
   */
  List<Failure> finish() {
    BundleState b = bundle;
    for (Future<?> f : b.futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for uploads", e);
      } catch (ExecutionException e) {
        b.error.compareAndSet(null, new IllegalStateException(e.getCause()));
      }
    }
    b.futures.clear();
    rethrow(b);
    List<Failure> out = new ArrayList<>(b.failures);
    b.failures.clear();
    return out;
  }

  void close() {
    pool.shutdownNow();
  }

  private static void rethrow(BundleState b) {
    RuntimeException e = b.error.get();
    if (e != null) {
      throw e;
    }
  }

  private void run(BundleState b, String destination, List<Pending> batch) {
    try {
      upload(b, destination, batch);
    } catch (RuntimeException | Error e) {
      b.error.compareAndSet(null, e instanceof RuntimeException ? (RuntimeException) e : new IllegalStateException(e));
    } finally {
      permits.release();
    }
  }

  private Destination destination(String name) {
    Destination d = destinations.get(name);
    if (d == null) {
      if (destinations.size() > MAX_CACHED_DESTINATIONS) {
        destinations.clear(); // offsets are informative only (the targets ignore ?start=)
      }
      d = destinations.computeIfAbsent(name, n -> new Destination(uploaders.apply(n)));
    }
    return d;
  }

  private void upload(BundleState b, String destination, List<Pending> batch) {
    Destination d = destination(destination);
    List<byte[]> lines = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      lines.add(p.line());
    }
    long start = d.offset.getAndAdd(batch.size());
    UploadResult r;
    try {
      r = d.uploader.upload(Batch.of(start, lines));
    } catch (BadRequestException | ValueTooLargeException e) {
      refused(b, destination, batch, e);
      return;
    } catch (UnauthorizedException | ForbiddenException | NotFoundException e) {
      // The same key, project and target on every attempt: a retried bundle would fail the same way.
      throw new WriteFailedException("upload of " + batch.size() + " records to " + target.describe(destination)
          + " failed: " + withoutFinalStop(e.getMessage()) + ". The write stops: retrying cannot fix this.", e);
    } catch (ScrapinghubException e) {
      throw new WriteFailedException("upload of " + batch.size() + " records to " + target.describe(destination)
          + " failed: " + withoutFinalStop(e.getMessage())
          + ". The bundle fails so that the runner retries it (writes are idempotent).", e);
    }
    records.add(r.records());
    bytes.add(r.bytes());
    batches.increment();
    newcount.add(r.newcount());
    if (target.kind() == WriteTarget.Kind.FRONTIER) {
      // A batch re-sent after a lost answer finds the requests the lost attempt queued "known":
      // counting them as duplicates would report duplicates the caller never sent.
      (r.resentAfterLostAnswer() ? unconfirmed : duplicates).add(r.records() - r.newcount());
    }
    client.stats().recordsDelivered(r.records()); // for the progress line
    client.stats().onBodyRead("upload", r.bytes());
  }

  /** The client's messages end in a full stop; another sentence follows them here. */
  static String withoutFinalStop(String message) {
    String m = message == null ? "" : message.strip();
    while (m.endsWith(".")) {
      m = m.substring(0, m.length() - 1);
    }
    return m;
  }

  /** 400/413 for a whole batch: isolate the refused record(s) by halving. */
  private void refused(BundleState b, String destination, List<Pending> batch, ScrapinghubException e) {
    if (batch.size() > 1) {
      splits.increment();
      int mid = batch.size() / 2;
      upload(b, destination, batch.subList(0, mid));
      upload(b, destination, batch.subList(mid, batch.size()));
      return;
    }
    Pending p = batch.get(0);
    ScrapinghubFailure.Kind kind = e instanceof ValueTooLargeException ? ScrapinghubFailure.Kind.VALUE_TOO_LARGE : ScrapinghubFailure.Kind.BAD_REQUEST;
    String message = "the service refused the record (HTTP " + e.status() + "): " + e.getMessage();
    FailedRecord f = new FailedRecord(new String(p.line(), StandardCharsets.UTF_8), kind, message,
        target.describe(destination), e.status());
    if (!routesFailures) {
      throw new WriteFailedException(f.toFailure().description() + " (record: " + RecordFormat.abbreviate(f.record())
          + "). withBadRecordErrorHandler(handler) routes such records to a Beam ErrorHandler instead.", e);
    }
    b.failures.add(new Failure(f, p.timestamp(), p.window()));
  }

  /** An upload failed for good; thrown on the DoFn thread so the bundle fails. */
  static final class WriteFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WriteFailedException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
