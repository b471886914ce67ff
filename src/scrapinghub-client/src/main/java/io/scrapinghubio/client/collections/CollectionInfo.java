package io.scrapinghubio.client.collections;

/** One entry of {@code collections/P/list}. */
public record CollectionInfo(StoreType type, String name) {}
