package io.scrapinghubio.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;

/**
 * What a command may touch of the world it runs in: the environment variables (for the API key),
 * where it prints, and the terminal if stdout is one. Tests run commands in-process with their own
 * environment and streams.
 *
 * @param environment environment variables, e.g. {@code System.getenv()}
 * @param out normal output: first line, progress lines, summary
 * @param err errors and warnings
 * @param terminal stdout when it is an interactive terminal (the progress bar draws on it), else null
 * @param systemEnvironment whether {@code environment} is this process's own, so that a key found
 *     there may be read again by the workers ({@code ApiKey.fromEnvironment()}) instead of being
 *     copied into the pipeline
 */
public record CliContext(Map<String, String> environment, PrintWriter out, PrintWriter err, PrintStream terminal,
    boolean systemEnvironment) {

  /** The real process: its environment, stdout and stderr, and stdout's terminal if there is one. */
  public static CliContext system() {
    boolean interactive = System.console() != null && !"dumb".equals(System.getenv("TERM"));
    return new CliContext(System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true),
        interactive ? System.out : null, true);
  }

  /** For tests: this environment and these streams, no terminal. */
  public static CliContext of(Map<String, String> environment, PrintWriter out, PrintWriter err) {
    return new CliContext(Map.copyOf(environment), out, err, null, false);
  }

  public boolean interactive() {
    return terminal != null;
  }
}
