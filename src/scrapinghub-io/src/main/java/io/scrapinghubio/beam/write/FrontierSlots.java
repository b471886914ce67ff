package io.scrapinghubio.beam.write;

import io.scrapinghubio.client.frontier.FrontierRequest;
import java.util.Locale;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * Ready-made slot functions for {@code writeToFrontier().withSlotFunction(...)}. A slot is the
 * unit a crawl consumer reads, so routing decides which consumer gets a request.
 */
public final class FrontierSlots {
  private FrontierSlots() {}

  /**
   * The default: the lower-cased host of the URL in {@code fp} ({@code https://Shop.Example.com:8443/a}
   * → {@code shop.example.com}), like Scrapy's per-domain download slots; a fingerprint that is not
   * an absolute URL goes to one of {@code hashSlots} slots named {@code 0..hashSlots-1} by a stable
   * hash (the same in every JVM).
   *
   * @param hashSlots how many slots fingerprints that are not URLs are spread over, at least 1
   * @return a slot function for {@code WriteToFrontier.withSlotFunction}
   */
  public static SerializableFunction<FrontierRequest, String> byHost(int hashSlots) {
    checkSlots(hashSlots);
    return new ByHost(hashSlots);
  }

  /**
   * {@code hashSlots} slots named {@code 0..hashSlots-1}, by a stable hash of {@code fp}.
   *
   * @param hashSlots how many slots, at least 1
   * @return a slot function for {@code WriteToFrontier.withSlotFunction}
   */
  public static SerializableFunction<FrontierRequest, String> byHash(int hashSlots) {
    checkSlots(hashSlots);
    return new ByHash(hashSlots);
  }

  /**
   * Every request into one slot.
   *
   * @param slot the slot's name (non-empty, no {@code /})
   * @return a slot function for {@code WriteToFrontier.withSlotFunction}
   */
  public static SerializableFunction<FrontierRequest, String> single(String slot) {
    if (slot == null || slot.isEmpty() || slot.contains("/")) {
      throw new IllegalArgumentException("slot name must be non-empty and contain no '/', but was '" + slot + "'");
    }
    return new Single(slot);
  }

  /** The lower-cased host of an absolute URL ({@code scheme://[user@]host[:port]...}), or null. */
  static String host(String url) {
    int sep = url.indexOf("://");
    if (sep <= 0) {
      return null;
    }
    for (int i = 0; i < sep; i++) {
      char c = url.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')) {
        return null;
      }
    }
    int from = sep + 3;
    int to = url.length();
    for (int i = from; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        to = i;
        break;
      }
    }
    String authority = url.substring(from, to);
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      authority = authority.substring(at + 1);
    }
    String host;
    if (authority.startsWith("[")) { // IPv6 literal
      int end = authority.indexOf(']');
      host = end < 0 ? authority : authority.substring(0, end + 1);
    } else {
      int colon = authority.indexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
    }
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    return host.isEmpty() ? null : host.toLowerCase(Locale.ROOT);
  }

  static String hashSlot(String fp, int n) {
    return Integer.toString(Math.floorMod(fp.hashCode(), n)); // String.hashCode is specified, so stable across JVMs
  }

  private static void checkSlots(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("number of hash slots must be >= 1, but was " + n);
    }
  }

  private static final class ByHost implements SerializableFunction<FrontierRequest, String> {
    private static final long serialVersionUID = 1L;
    private final int hashSlots;

    ByHost(int hashSlots) {
      this.hashSlots = hashSlots;
    }

    @Override
    public String apply(FrontierRequest r) {
      String h = host(r.fp());
      return h != null ? h : hashSlot(r.fp(), hashSlots);
    }

    @Override
    public String toString() {
      return "byHost(" + hashSlots + ")";
    }
  }

  private static final class ByHash implements SerializableFunction<FrontierRequest, String> {
    private static final long serialVersionUID = 1L;
    private final int n;

    ByHash(int n) {
      this.n = n;
    }

    @Override
    public String apply(FrontierRequest r) {
      return hashSlot(r.fp(), n);
    }

    @Override
    public String toString() {
      return "byHash(" + n + ")";
    }
  }

  private static final class Single implements SerializableFunction<FrontierRequest, String> {
    private static final long serialVersionUID = 1L;
    private final String slot;

    Single(String slot) {
      this.slot = slot;
    }

    @Override
    public String apply(FrontierRequest r) {
      return slot;
    }

    @Override
    public String toString() {
      return "single(" + slot + ")";
    }
  }
}
