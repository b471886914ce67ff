package io.scrapinghubio.cli.console;

import io.scrapinghubio.client.errors.ScrapinghubException;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Error text for a terminal: one line, from the exception that says the most. */
public final class ErrorText {
  private ErrorText() {}

  /** {@code text} with its line breaks and runs of spaces folded into single spaces. */
  public static String oneLine(String text) {
    return text == null ? "" : text.strip().replaceAll("\\s+", " ");
  }

  /**
   * What went wrong, from the exception a user can act on. Runners wrap failures several times
   * (Beam's {@code PipelineExecutionException}, Flink's {@code JobExecutionException}...), and the
   * outermost message is then only a class name; the client's own errors (which name the host, the
   * job and the fix, never the key), and our own messages, say more.
   */
  public static String describe(Throwable e) {
    Throwable telling = null;
    Throwable deepest = e;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (telling == null && isTelling(t) && t.getMessage() != null) {
        telling = t;
      }
      deepest = t;
    }
    Throwable chosen = telling != null ? telling : deepest;
    String message = chosen.getMessage();
    if (message == null || message.isBlank()) {
      return chosen.getClass().getSimpleName();
    }
    boolean ours = chosen instanceof RunFailure || chosen instanceof ScrapinghubException
        || chosen instanceof IllegalArgumentException || chosen instanceof IllegalStateException;
    return oneLine(ours ? message : chosen.getClass().getSimpleName() + ": " + message);
  }

  private static boolean isTelling(Throwable t) {
    return t instanceof RunFailure || t instanceof ScrapinghubException || t instanceof UncheckedIOException
        || t instanceof IOException || t instanceof IllegalArgumentException;
  }
}
