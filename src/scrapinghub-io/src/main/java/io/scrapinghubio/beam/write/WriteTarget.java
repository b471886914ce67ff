package io.scrapinghubio.beam.write;

import io.scrapinghubio.client.collections.StoreType;
import io.scrapinghubio.client.http.HttpTransport;
import io.scrapinghubio.client.write.UploadTarget;
import java.io.Serializable;
import java.util.Objects;

/**
 * Where a write's batches go: a collection, a frontier's slots (one endpoint per slot, the
 * destination of each record), or a collection's {@code deleted} endpoint. Builds the client's
 * {@link UploadTarget} for a destination, with the encoding and parameters the official client uses.
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

  UploadTarget uploadTarget(HttpTransport transport, long project, String destination) {
    String p = Long.toString(project);
    switch (kind) {
      case COLLECTION:
        // identity + ?start=, as the official client's collection writer
        return new UploadTarget(transport.storage("collections", p, storeType.code(), name).build(), false, true, false,
            describe(destination));
      case DELETE:
        // JSON strings, one a line, as Collection.delete(); keyed and idempotent
        return new UploadTarget(transport.storage("collections", p, storeType.code(), name, "deleted").build(), false, false,
            false, describe(destination));
      default:
        return new UploadTarget(transport.storage("hcf", p, name, "s", destination).build(), false, true, true,
            describe(destination));
    }
  }

  @Override
  public String toString() {
    return kind == Kind.FRONTIER ? "frontier " + name : describe("");
  }
}
