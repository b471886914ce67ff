package io.scrapinghubio.client.frontier;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.http.HttpTransport;
import io.scrapinghubio.client.http.CallOptions;
import io.scrapinghubio.client.json.JsonLines;
import io.scrapinghubio.client.write.BatchUploader;
import io.scrapinghubio.client.write.BatchWriter;
import io.scrapinghubio.client.write.UploadTarget;
import io.scrapinghubio.client.write.WriteReport;
import io.scrapinghubio.client.write.WriterOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.HttpUrl;

/**
 * One slot of a frontier ({@code hcf/P/<frontier>/s/<slot>}): a queue of requests de-duplicated by
 * fingerprint. Additions go through one batch writer per slot (5000 requests per upload,
 * {@code identity} encoding, as the official client) and are sent on {@link #flush()}, on
 * {@link #close()} or when a batch fills; {@link #newcount()} sums the {@code newcount} of every
 * acknowledged upload (per slot, fixing python-hubstorage #21).
 *
 * <p>{@code newcount} is what the service reported. If it queued a batch but its answer was lost
 * (reset, truncated body, 5xx after processing), the retried upload finds the fingerprints known
 * and reports 0 for them, so {@code newcount} can under-count; the queue itself holds each request
 * exactly once either way.
 */
public final class FrontierSlot {
  private final HttpTransport transport;
  private final long projectId;
  private final Frontier frontier;
  private final String name;
  private final AtomicLong newcount = new AtomicLong();
  private final BatchWriter<FrontierRequest> writer;

  FrontierSlot(HttpTransport transport, long projectId, Frontier frontier, String name, WriterOptions options) {
    this.transport = transport;
    this.projectId = projectId;
    this.frontier = frontier;
    this.name = Frontiers.checkName("slot", name);
    this.writer = new BatchWriter<>(uploader(transport, projectId, frontier.name(), name), FrontierRequestEncoder.INSTANCE, options,
        n -> {
          newcount.addAndGet(n);
          frontier.addNewcount(n);
        });
  }

  /**
   * The slot's name.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The frontier the slot belongs to.
   *
   * @return the frontier
   */
  public Frontier frontier() {
    return frontier;
  }

  HttpUrl.Builder url() {
    return url(transport, projectId, frontier.name(), name);
  }

  private static HttpUrl.Builder url(HttpTransport transport, long projectId, String frontier, String slot) {
    return transport.storage("hcf", Long.toString(projectId), frontier, "s", slot);
  }

  /**
   * Uploads to one slot, as the official client's slot writer: {@code POST hcf/P/<frontier>/s/<slot>?start=<offset>}
   * with {@code identity} encoding; each answer's {@code newcount} is read. Behind this slot's
   * writer and {@link Frontier#slotUploader(String)}.
   */
  static BatchUploader uploader(HttpTransport transport, long projectId, String frontier, String slot) {
    UploadTarget target = new UploadTarget(url(transport, projectId, frontier, slot).build(), false, true, true,
        "frontier " + frontier + " slot " + slot);
    return new BatchUploader(transport, target);
  }

  /**
   * The slot's request queue.
   *
   * @return the queue
   */
  public Queue queue() {
    return new Queue();
  }

  /**
   * The slot's fingerprints.
   *
   * @return the fingerprints
   */
  public Fingerprints fingerprints() {
    return new Fingerprints();
  }

  /**
   * Requests newly queued by this slot's acknowledged uploads (duplicates are not counted).
   *
   * @return the count
   */
  public long newcount() {
    return newcount.get();
  }

  /**
   * The slot's writer (shared by {@code queue().add} and {@code fingerprints().add}).
   *
   * @return the writer
   */
  public BatchWriter<FrontierRequest> writer() {
    return writer;
  }

  /**
   * Uploads the buffered additions.
   *
   * @return the totals
   */
  public WriteReport flush() {
    return writer.flush();
  }

  /**
   * Flushes and refuses further additions.
   *
   * @return the totals
   */
  public WriteReport close() {
    return writer.close();
  }

  /**
   * Deletes the slot with its queue and fingerprints (a missing slot is not an error). Additions
   * still buffered are discarded first: uploaded afterwards they would re-create the slot.
   */
  public void delete() {
    writer.discardPending();
    transport.delete(url().build(), CallOptions.IDEMPOTENT);
  }

  @Override
  public String toString() {
    return "FrontierSlot(" + projectId + "/" + frontier.name() + "/" + name + ")";
  }

  /** {@code .../q}: add requests, read batches, delete processed batches. */
  public final class Queue {
    private Queue() {}

    /**
     * Buffers requests for upload (see {@link FrontierSlot}).
     *
     * @param requests the requests
     */
    public void add(FrontierRequest... requests) {
      add(List.of(requests));
    }

    /**
     * Buffers requests for upload (see {@link FrontierSlot}).
     *
     * @param requests the requests
     */
    public void add(List<FrontierRequest> requests) {
      writer.writeAll(requests);
    }

    /**
     * Every batch currently queued (the service groups requests in batches of up to 100).
     *
     * @return the batches
     */
    public List<QueueBatch> list() {
      return list(null);
    }

    /**
     * Queued batches; {@code mincount} asks for at least that many requests (in as many batches
     * as needed) when available.
     *
     * @param mincount the fewest requests wanted, or null for the service default
     * @return the batches
     */
    public List<QueueBatch> list(Integer mincount) {
      HttpUrl.Builder u = url().addPathSegment("q");
      if (mincount != null) {
        u.addQueryParameter("mincount", Integer.toString(mincount));
      }
      byte[] body = transport.get(u.build(), HttpTransport.JSON_LINES, CallOptions.IDEMPOTENT_JSON_LINES).body();
      List<QueueBatch> out = new ArrayList<>();
      for (JsonNode b : JsonLines.parse(body)) {
        List<QueuedRequest> rs = new ArrayList<>();
        for (JsonNode r : b.path("requests")) {
          JsonNode q = r.get(1);
          rs.add(new QueuedRequest(r.path(0).asText(), q == null || q.isNull() ? null : q));
        }
        out.add(new QueueBatch(b.path("id").asText(), rs));
      }
      return out;
    }

    /**
     * {@link #list(Integer)} as an {@code Iterable}.
     *
     * @param mincount the fewest requests wanted, or null for the service default
     * @return the batches
     */
    public Iterable<QueueBatch> iter(Integer mincount) {
      return list(mincount);
    }

    /**
     * Deletes processed batches by id.
     *
     * @param ids the batches' ids
     */
    public void delete(String... ids) {
      delete(List.of(ids));
    }

    /**
     * Deletes processed batches by id; no request for none.
     *
     * @param ids the batches' ids
     */
    public void delete(List<String> ids) {
      if (ids.isEmpty()) {
        return;
      }
      transport.post(url().addPathSegment("q").addPathSegment("deleted").build(), JsonLines.encode(ids), null,
          CallOptions.IDEMPOTENT);
    }
  }

  /** {@code .../f}: the fingerprints the slot has seen. */
  public final class Fingerprints {
    private Fingerprints() {}

    /**
     * Buffers fingerprints for upload: each becomes a request {@code {"fp": ...}} (the official
     * client's {@code slot.f.add}).
     *
     * @param fps the fingerprints
     */
    public void add(String... fps) {
      add(List.of(fps));
    }

    /**
     * Buffers fingerprints for upload, as {@link #add(String...)}.
     *
     * @param fps the fingerprints
     */
    public void add(List<String> fps) {
      for (String fp : fps) {
        writer.write(FrontierRequest.of(fp));
      }
    }

    /**
     * Every fingerprint of the slot, in the service's (lexicographic) order.
     *
     * @return the fingerprints
     */
    public List<String> list() {
      byte[] body = transport
          .get(url().addPathSegment("f").build(), HttpTransport.JSON_LINES, CallOptions.IDEMPOTENT_JSON_LINES).body();
      List<String> out = new ArrayList<>();
      for (JsonNode n : JsonLines.parse(body)) {
        out.add(n.path("fp").asText());
      }
      return out;
    }

    /**
     * {@link #list()} as an {@code Iterable}.
     *
     * @return the fingerprints
     */
    public Iterable<String> iter() {
      return list();
    }
  }
}
