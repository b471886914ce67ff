package io.scrapinghubio.client.collections;

import com.fasterxml.jackson.databind.JsonNode;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.http.CallOptions;
import io.scrapinghubio.client.http.HttpTransport;
import io.scrapinghubio.client.json.JsonLines;
import java.util.ArrayList;
import java.util.List;

/** A project's collections ({@code collections/P}), as {@code project.collections} of the official client. */
public final class Collections {
  private final ScrapinghubClient client;
  private final long projectId;

  public Collections(ScrapinghubClient client, long projectId) {
    this.client = client;
    this.projectId = projectId;
  }

  /** Every collection of the project ({@code collections/P/list}). */
  public List<CollectionInfo> list() {
    byte[] body = client.transport()
        .get(client.transport().storage("collections", Long.toString(projectId), "list").build(), HttpTransport.JSON_LINES,
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
    return new Collection(client, projectId, type, name);
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
