package io.scrapinghubio.client.collections;

import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;

/**
 * What a collection scan selects: specific keys, key prefixes ({@code prefixcount} = at most N
 * records per prefix), insert-time range ({@code startts}/{@code endts}, ms), a start key
 * (inclusive {@code start} or exclusive {@code startafter}), filters, and a total limit
 * ({@code count}). {@code pageSize} is how many records each request asks for.
 */
public final class ScanOptions {
  public static final int DEFAULT_PAGE_SIZE = 1000;

  final List<String> keys = new ArrayList<>();
  final List<String> prefixes = new ArrayList<>();
  final List<String> filters = new ArrayList<>();
  Integer prefixcount;
  Long startts;
  Long endts;
  String start;
  String startafter;
  long count = Long.MAX_VALUE;
  int pageSize = DEFAULT_PAGE_SIZE;

  public static ScanOptions all() {
    return new ScanOptions();
  }

  public ScanOptions key(String... ks) {
    keys.addAll(List.of(ks));
    return this;
  }

  public ScanOptions keys(List<String> ks) {
    keys.addAll(ks);
    return this;
  }

  public ScanOptions prefix(String... ps) {
    prefixes.addAll(List.of(ps));
    return this;
  }

  /**
   * At most {@code n} records per prefix. The service applies it per request, so such a scan is
   * made in one request (no paging).
   */
  public ScanOptions prefixcount(int n) {
    prefixcount = n;
    return this;
  }

  public ScanOptions startts(long ms) {
    startts = ms;
    return this;
  }

  public ScanOptions endts(long ms) {
    endts = ms;
    return this;
  }

  /** Start at this key (inclusive). */
  public ScanOptions start(String key) {
    start = key;
    return this;
  }

  /** Start after this key (exclusive): how a scan is resumed. */
  public ScanOptions startafter(String key) {
    startafter = key;
    return this;
  }

  /** At most {@code n} records in all. */
  public ScanOptions count(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("count must be >= 0, but was " + n);
    }
    count = n;
    return this;
  }

  /** A filter triple as JSON text, e.g. {@code ["counter", ">", [5]]}. */
  public ScanOptions filter(String jsonTriple) {
    filters.add(jsonTriple);
    return this;
  }

  public ScanOptions pageSize(int n) {
    if (n < 1 || n > 100_000) {
      throw new IllegalArgumentException("pageSize must be in 1..100000, but was " + n);
    }
    pageSize = n;
    return this;
  }

  /** The selection parameters shared by scans and counts (no paging parameters). */
  void applySelection(HttpUrl.Builder url) {
    keys.forEach(k -> url.addQueryParameter("key", k));
    prefixes.forEach(p -> url.addQueryParameter("prefix", p));
    if (prefixcount != null) {
      url.addQueryParameter("prefixcount", Integer.toString(prefixcount));
    }
    if (startts != null) {
      url.addQueryParameter("startts", Long.toString(startts));
    }
    if (endts != null) {
      url.addQueryParameter("endts", Long.toString(endts));
    }
    filters.forEach(f -> url.addQueryParameter("filter", f));
  }
}
