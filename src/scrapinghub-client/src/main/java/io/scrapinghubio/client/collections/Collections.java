package io.scrapinghubio.client.collections;

import io.scrapinghubio.client.core.Internal;
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

  /**
   * The collections of one project; {@code Project.collections()} hands them out.
   *
   * @param transport the client's transport
   * @param projectId the project's id
   */
  @Internal
  public Collections(HttpTransport transport, long projectId) {
    this.transport = transport;
    this.projectId = projectId;
  }

  /**
   * Every collection of the project ({@code collections/P/list}).
   *
   * @return the collections
   */
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

  /**
   * A collection handle; no request is made. The name must match {@code ^\w+$}.
   *
   * @param type the store type
   * @param name the collection's name
   * @return the handle
   */
  public Collection get(StoreType type, String name) {
    return new Collection(transport, projectId, type, name);
  }

  /**
   * A store ({@code s}) handle; no request is made.
   *
   * @param name the collection's name
   * @return the handle
   */
  public Collection getStore(String name) {
    return get(StoreType.STORE, name);
  }

  /**
   * A cached store ({@code cs}) handle; no request is made.
   *
   * @param name the collection's name
   * @return the handle
   */
  public Collection getCachedStore(String name) {
    return get(StoreType.CACHED_STORE, name);
  }

  /**
   * A versioned store ({@code vs}) handle; no request is made.
   *
   * @param name the collection's name
   * @return the handle
   */
  public Collection getVersionedStore(String name) {
    return get(StoreType.VERSIONED_STORE, name);
  }

  /**
   * A versioned cached store ({@code vcs}) handle; no request is made.
   *
   * @param name the collection's name
   * @return the handle
   */
  public Collection getVersionedCachedStore(String name) {
    return get(StoreType.VERSIONED_CACHED_STORE, name);
  }
}
