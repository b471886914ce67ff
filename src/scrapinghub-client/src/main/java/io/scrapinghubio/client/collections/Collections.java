package io.scrapinghubio.client.collections;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.http.HttpTransport;
import io.scrapinghubio.client.http.CallOptions;
import io.scrapinghubio.client.json.JsonLines;
import java.util.ArrayList;
import java.util.List;

/** A project's collections ({@code collections/P}), as {@code project.collections} of the official client. */
public final class Collections {
  private final HttpTransport transport;
  private final long projectId;

  public Collections(HttpTransport transport, long projectId) {
    this.transport = transport;
    this.projectId = projectId;
  }

  /** Every collection of the project ({@code collections/P/list}). */
  public List<CollectionInfo> list() {
    byte[] body = transport
        .get(transport.storage("collections", Long.toString(projectId), "list").build(), HttpTransport.JSON_LINES,
            CallOptions.IDEMPOTENT_JSON_LINES)
        .body();
    List<CollectionInfo> out = new ArrayList<>();
    for (JsonNode n : JsonLines.parse(body)) {
      out.add(new CollectionInfo(StoreType.fromCode(n.path("type").asText()), n.path("name").asText()));
    }
    return out;
  }

  /** A collection handle; no request is made. The name must match {@code ^\w+$}. */
  public Collection get(StoreType type, String name) {
    return new Collection(transport, projectId, type, name);
  }

  public Collection getStore(String name) {
    return get(StoreType.STORE, name);
  }

  public Collection getCachedStore(String name) {
    return get(StoreType.CACHED_STORE, name);
  }

  public Collection getVersionedStore(String name) {
    return get(StoreType.VERSIONED_STORE, name);
  }

  public Collection getVersionedCachedStore(String name) {
    return get(StoreType.VERSIONED_CACHED_STORE, name);
  }
}
