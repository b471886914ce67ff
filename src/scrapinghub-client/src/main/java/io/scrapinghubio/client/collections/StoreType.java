package io.scrapinghubio.client.collections;

/** The four kinds of collection, named in URLs by their short code. */
public enum StoreType {
  /** {@code s}: a plain key-value store. */
  STORE("s"),
  /** {@code cs}: records expire a month after their last update. */
  CACHED_STORE("cs"),
  /** {@code vs}: keeps up to 3 versions of each record. */
  VERSIONED_STORE("vs"),
  /** {@code vcs}: versioned and expiring. */
  VERSIONED_CACHED_STORE("vcs");

  private final String code;

  StoreType(String code) {
    this.code = code;
  }

  /**
   * The type's code in collection URLs.
   *
   * @return {@code s}, {@code cs}, {@code vs} or {@code vcs}
   */
  public String code() {
    return code;
  }

  /**
   * The type of a code.
   *
   * @param code {@code s}, {@code cs}, {@code vs} or {@code vcs}
   * @return the type
   */
  public static StoreType fromCode(String code) {
    for (StoreType t : values()) {
      if (t.code.equals(code)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown collection type '" + code + "': expected one of s, cs, vs, vcs");
  }
}
