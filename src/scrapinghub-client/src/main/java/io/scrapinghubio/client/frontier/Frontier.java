package io.scrapinghubio.client.frontier;

import io.scrapinghubio.client.http.HttpTransport;
import io.scrapinghubio.client.errors.ScrapinghubException;
import io.scrapinghubio.client.http.CallOptions;
import io.scrapinghubio.client.write.BatchUploadException;
import io.scrapinghubio.client.write.BatchUploader;
import io.scrapinghubio.client.write.WriteReport;
import io.scrapinghubio.client.write.WriterOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** One frontier ({@code hcf/P/<name>}): a set of slots. Slot handles (and their writers) are cached here. */
public final class Frontier {
  private final HttpTransport transport;
  private final long projectId;
  private final Frontiers frontiers;
  private final String name;
  private final Map<String, FrontierSlot> slots = new ConcurrentHashMap<>();
  private final AtomicLong newcount = new AtomicLong();

  Frontier(HttpTransport transport, long projectId, Frontiers frontiers, String name) {
    this.transport = transport;
    this.projectId = projectId;
    this.frontiers = frontiers;
    this.name = Frontiers.checkName("frontier", name);
  }

  /**
   * The frontier's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Names of the frontier's slots ({@code hcf/P/<name>/list}).
   *
   * @return the slot names
   */
  public List<String> list() {
    byte[] body = transport
        .get(transport.storage("hcf", Long.toString(projectId), name, "list").build(), "application/json", CallOptions.IDEMPOTENT)
        .body();
    return Frontiers.names(body);
  }

  /**
   * The slot handle (no request); the same instance for the same name.
   *
   * @param slot the slot's name
   * @return the handle
   */
  public FrontierSlot get(String slot) {
    return slots.computeIfAbsent(Frontiers.checkName("slot", slot),
        s -> new FrontierSlot(transport, projectId, this, s, frontiers.writerOptions()));
  }

  /**
   * The synchronous uploader of one slot, for callers that batch and encode
   * ({@link FrontierRequestEncoder}) themselves, e.g. the Beam sink: each batch goes to
   * {@code POST hcf/P/<frontier>/s/<slot>?start=<offset>} with {@code identity} encoding, as the
   * official client's slot writer sends it (and as {@link FrontierSlot#writer()} does). Unlike
   * {@link #get(String)} it creates no slot handle, which this frontier would keep with its writer
   * for good: a caller routing requests to many slots (one per host) holds only what it caches.
   * The {@code newcount} of its uploads is in each {@link io.scrapinghubio.client.write.UploadResult}
   * and is not added to {@link #newcount()}. Stateless and thread-safe; a re-sent batch queues
   * nothing twice (the slot de-duplicates fingerprints).
   *
   * @param slot the slot's name
   * @return the uploader
   */
  public BatchUploader slotUploader(String slot) {
    return FrontierSlot.uploader(transport, projectId, name, Frontiers.checkName("slot", slot));
  }

  /**
   * Requests newly queued through this frontier's slots.
   *
   * @return the count
   */
  public long newcount() {
    return newcount.get();
  }

  void addNewcount(long n) {
    newcount.addAndGet(n);
    frontiers.addNewcount(n);
  }

  /**
   * Flushes every slot; all are attempted, then the first failure is thrown.
   *
   * @return the totals
   */
  public WriteReport flush() {
    return forEachSlot(false);
  }

  /**
   * Flushes and closes every slot.
   *
   * @return the totals
   */
  public WriteReport close() {
    return forEachSlot(true);
  }

  WriteReport forEachSlot(boolean close) {
    long records = 0;
    long bytes = 0;
    long batches = 0;
    long nc = 0;
    long pending = 0;
    ScrapinghubException first = null;
    for (FrontierSlot s : slots.values()) {
      try {
        WriteReport r = close ? s.close() : s.flush();
        records += r.records();
        bytes += r.bytes();
        batches += r.batches();
        nc += r.newcount();
      } catch (BatchUploadException e) {
        pending += e.pendingRecords();
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
    return new WriteReport(records, bytes, batches, nc, pending);
  }

  @Override
  public String toString() {
    return "Frontier(" + projectId + "/" + name + ")";
  }
}
