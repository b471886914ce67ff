package io.scrapinghubio.client.frontier;

import io.scrapinghubio.client.core.Internal;
import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.http.HttpTransport;
import io.scrapinghubio.client.errors.ScrapinghubException;
import io.scrapinghubio.client.http.CallOptions;
import io.scrapinghubio.client.json.JsonLines;
import io.scrapinghubio.client.write.BatchUploadException;
import io.scrapinghubio.client.write.WriteReport;
import io.scrapinghubio.client.write.WriterOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The project's Hub Crawl Frontier ({@code hcf/P}): frontiers, their slots, and per-slot writers.
 * Hold on to this object (as {@code Project.frontiers()} does) while adding requests: it owns the
 * buffered additions and the {@code newcount} totals. {@link #close()} flushes everything.
 */
public final class Frontiers {
  private final HttpTransport transport;
  private final long projectId;
  private final Map<String, Frontier> frontiers = new ConcurrentHashMap<>();
  private final AtomicLong newcount = new AtomicLong();
  private volatile WriterOptions writerOptions = WriterOptions.frontierDefaults();

  /**
   * The frontiers of one project; {@code Project.frontiers()} hands them out.
   *
   * @param transport the client's transport
   * @param projectId the project's id
   */
  @Internal
  public Frontiers(HttpTransport transport, long projectId) {
    this.transport = transport;
    this.projectId = projectId;
  }

  /**
   * Names of the project's frontiers ({@code hcf/P/list}).
   *
   * @return the names
   */
  public List<String> list() {
    byte[] body = transport
        .get(transport.storage("hcf", Long.toString(projectId), "list").build(), "application/json", CallOptions.IDEMPOTENT)
        .body();
    return names(body);
  }

  /** The names in a {@code list} answer: JSON lines, each an array of names. */
  static List<String> names(byte[] body) {
    List<String> out = new ArrayList<>();
    for (JsonNode doc : JsonLines.parse(body)) {
      doc.forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  /**
   * The frontier handle (no request); the same instance for the same name.
   *
   * @param name the frontier's name
   * @return the handle
   */
  public Frontier get(String name) {
    return frontiers.computeIfAbsent(checkName("frontier", name), n -> new Frontier(transport, projectId, this, n));
  }

  /**
   * Batching of slot writers created from now on (default 5000 requests per upload).
   *
   * @param options batching limits
   * @return this object
   */
  public Frontiers writerOptions(WriterOptions options) {
    this.writerOptions = options;
    return this;
  }

  WriterOptions writerOptions() {
    return writerOptions;
  }

  /**
   * Requests newly queued through every slot of every frontier of this object.
   *
   * @return the count
   */
  public long newcount() {
    return newcount.get();
  }

  void addNewcount(long n) {
    newcount.addAndGet(n);
  }

  /**
   * Flushes every slot of every frontier; all are attempted, then the first failure is thrown.
   *
   * @return the totals
   */
  public WriteReport flush() {
    return each(false);
  }

  /**
   * Flushes and closes every slot of every frontier; all are attempted, then the first failure is
   * thrown.
   *
   * @return the totals
   */
  public WriteReport close() {
    return each(true);
  }

  private WriteReport each(boolean close) {
    long records = 0;
    long bytes = 0;
    long batches = 0;
    long nc = 0;
    ScrapinghubException first = null;
    for (Frontier f : frontiers.values()) {
      try {
        WriteReport r = f.forEachSlot(close);
        records += r.records();
        bytes += r.bytes();
        batches += r.batches();
        nc += r.newcount();
      } catch (ScrapinghubException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
    return new WriteReport(records, bytes, batches, nc, 0);
  }

  static String checkName(String what, String name) {
    if (name == null || name.isEmpty() || name.contains("/")) {
      throw new IllegalArgumentException(what + " name must be non-empty and contain no '/', but was '" + name + "'");
    }
    return name;
  }
}
