package io.scrapinghubio.beam.write;

import io.scrapinghubio.client.Project;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.collections.StoreType;
import io.scrapinghubio.client.write.BatchUploader;
import java.io.Serializable;
import java.util.Objects;
import java.util.function.Function;

/**
 * Where a write's batches go: a collection, a frontier's slots (one endpoint per slot, the
 * destination of each record), or a collection's {@code deleted} endpoint. Names them for messages
 * and gets their uploaders from the client, which knows the endpoints and encodings.
 */
final class WriteTarget implements Serializable {
  private static final long serialVersionUID = 1L;

  enum Kind {
    COLLECTION,
    FRONTIER,
    DELETE
  }

  private final Kind kind;
  private final StoreType storeType;
  private final String name;

  private WriteTarget(Kind kind, StoreType storeType, String name) {
    this.kind = kind;
    this.storeType = storeType;
    this.name = name;
  }

  static WriteTarget collection(StoreType type, String name) {
    return new WriteTarget(Kind.COLLECTION, Objects.requireNonNull(type), Objects.requireNonNull(name));
  }

  static WriteTarget frontier(String name) {
    return new WriteTarget(Kind.FRONTIER, null, Objects.requireNonNull(name));
  }

  static WriteTarget delete(StoreType type, String name) {
    return new WriteTarget(Kind.DELETE, Objects.requireNonNull(type), Objects.requireNonNull(name));
  }

  Kind kind() {
    return kind;
  }

  /** For messages and failed records: {@code collection s/dedup}, {@code frontier links slot example.com}. */
  String describe(String destination) {
    switch (kind) {
      case COLLECTION:
        return "collection " + storeType.code() + "/" + name;
      case DELETE:
        return "collection " + storeType.code() + "/" + name + " (delete)";
      default:
        return "frontier " + name + (destination.isEmpty() ? "" : " slot " + destination);
    }
  }

  /**
   * The client's uploader for each destination of this target, from the client's resource objects
   * (they own the endpoints and encodings): the collection's, its delete endpoint's, or the
   * frontier slot's named by the destination.
   */
  Function<String, BatchUploader> uploaders(ScrapinghubClient client, long project) {
    Project p = client.getProject(project);
    switch (kind) {
      case COLLECTION: {
        BatchUploader collection = p.collections().get(storeType, name).uploader();
        return destination -> collection;
      }
      case DELETE: {
        BatchUploader deletes = p.collections().get(storeType, name).deleteUploader();
        return destination -> deletes;
      }
      default:
        return p.frontiers().get(name)::slotUploader;
    }
  }

  @Override
  public String toString() {
    return kind == Kind.FRONTIER ? "frontier " + name : describe("");
  }
}
