package io.scrapinghubio.client.frontier;

import java.util.List;

/** A batch read from a slot queue: an opaque id (to delete it once processed) and its requests (at most 100). */
public record QueueBatch(String id, List<QueuedRequest> requests) {
  /**
   * A batch; the requests are copied.
   *
   * @param id the batch's id
   * @param requests its requests
   */
  public QueueBatch {
    requests = List.copyOf(requests);
  }
}
