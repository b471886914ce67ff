package io.scrapinghubio.cli.console;

/** A count and its noun, singular for one: "1 job", "2,400 items". */
public final class Counted {
  private Counted() {}

  /** {@code noun} is the singular; the plural adds an s (every noun the commands count does). */
  public static String of(long n, String noun) {
    return String.format(java.util.Locale.ROOT, "%,d %s", n, n == 1 ? noun : noun + "s");
  }
}
