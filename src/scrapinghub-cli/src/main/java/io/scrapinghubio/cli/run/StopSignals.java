package io.scrapinghubio.cli.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM as requests to a command that can stop cleanly by itself (a follow
 * writes what it read): the first one calls the command back, instead of the JVM starting its
 * shutdown at once, with Flink's own shutdown hooks tearing down the pipeline meanwhile; a second
 * one exits at once, as a user pressing Ctrl-C again expects. A signal the process was started
 * ignoring (nohup, a shell's background job) stays ignored.
 */
public final class StopSignals implements AutoCloseable {
  /** Exit codes of a process ended by these signals, as shells report them (128 + signal number). */
  private static final Map<String, Integer> EXIT_CODES = Map.of("INT", 130, "TERM", 143);

  private final Map<Signal, SignalHandler> previous = new java.util.LinkedHashMap<>();

  private StopSignals() {}

  /**
   * Installs the handlers until {@link #close()}.
   *
   * @param onFirst called (on the signal's thread) with "Ctrl-C" or "SIGTERM" on the first signal
   * @param onSecond called before the process exits on a second signal
   */
  public static StopSignals install(Consumer<String> onFirst, Runnable onSecond) {
    StopSignals s = new StopSignals();
    AtomicInteger count = new AtomicInteger();
    List<String> names = new ArrayList<>(List.of("INT", "TERM"));
    for (String name : names) {
      Signal signal = new Signal(name);
      SignalHandler handler = sig -> {
        if (count.incrementAndGet() == 1) {
          onFirst.accept(describe(sig.getName()));
        } else {
          onSecond.run();
          System.exit(EXIT_CODES.get(sig.getName()));
        }
      };
      try {
        SignalHandler old = Signal.handle(signal, handler);
        if (old == SignalHandler.SIG_IGN) {
          Signal.handle(signal, SignalHandler.SIG_IGN);
        } else {
          s.previous.put(signal, old);
        }
      } catch (IllegalArgumentException e) {
        // the JVM keeps this signal (e.g. -Xrs): its default handling stays
      }
    }
    return s;
  }

  /** "Ctrl-C" for SIGINT, "SIGTERM" for SIGTERM. */
  public static String describe(String signalName) {
    return signalName.equals("INT") ? "Ctrl-C" : "SIG" + signalName;
  }

  /** The exit code of a command stopped by {@code reason} as {@link #describe} names it, or 0. */
  public static int exitCode(String reason) {
    if ("Ctrl-C".equals(reason)) {
      return EXIT_CODES.get("INT");
    }
    if ("SIGTERM".equals(reason)) {
      return EXIT_CODES.get("TERM");
    }
    return 0;
  }

  /** Gives the signals back to their previous handlers (the JVM's: shut down). */
  @Override
  public void close() {
    previous.forEach((signal, handler) -> {
      try {
        Signal.handle(signal, handler);
      } catch (IllegalArgumentException e) {
        // as at install
      }
    });
    previous.clear();
  }
}
