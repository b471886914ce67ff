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
  /** Records per request unless {@link #pageSize} says otherwise. */
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

  /**
   * Every record.
   *
   * @return new options
   */
  public static ScanOptions all() {
    return new ScanOptions();
  }

  /**
   * Only records with these keys.
   *
   * @param ks keys
   * @return these options
   */
  public ScanOptions key(String... ks) {
    keys.addAll(List.of(ks));
    return this;
  }

  /**
   * Only records with these keys.
   *
   * @param ks keys
   * @return these options
   */
  public ScanOptions keys(List<String> ks) {
    keys.addAll(ks);
    return this;
  }

  /**
   * Only records whose key starts with one of these prefixes.
   *
   * @param ps prefixes
   * @return these options
   */
  public ScanOptions prefix(String... ps) {
    prefixes.addAll(List.of(ps));
    return this;
  }

  /**
   * At most {@code n} records per prefix. The service applies it per request, so such a scan is
   * made in one request (no paging).
   *
   * @param n the most records per prefix
   * @return these options
   */
  public ScanOptions prefixcount(int n) {
    prefixcount = n;
    return this;
  }

  /**
   * Only records written at or after this time.
   *
   * @param ms epoch milliseconds
   * @return these options
   */
  public ScanOptions startts(long ms) {
    startts = ms;
    return this;
  }

  /**
   * Only records written before this time.
   *
   * @param ms epoch milliseconds
   * @return these options
   */
  public ScanOptions endts(long ms) {
    endts = ms;
    return this;
  }

  /**
   * Start at this key (inclusive).
   *
   * @param key a key
   * @return these options
   */
  public ScanOptions start(String key) {
    start = key;
    return this;
  }

  /**
   * Start after this key (exclusive): how a scan is resumed.
   *
   * @param key a key
   * @return these options
   */
  public ScanOptions startafter(String key) {
    startafter = key;
    return this;
  }

  /**
   * At most {@code n} records in all.
   *
   * @param n the most records
   * @return these options
   */
  public ScanOptions count(long n) {
    if (n < 0) {
      throw new IllegalArgumentException("count must be >= 0, but was " + n);
    }
    count = n;
    return this;
  }

  /**
   * A filter triple as JSON text, e.g. {@code ["counter", ">", [5]]}.
   *
   * @param jsonTriple {@code [field, operator, [values]]} as JSON
   * @return these options
   */
  public ScanOptions filter(String jsonTriple) {
    filters.add(jsonTriple);
    return this;
  }

  /**
   * Records per request (default {@value #DEFAULT_PAGE_SIZE}).
   *
   * @param n 1 to 100000
   * @return these options
   */
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
