package io.scrapinghubio.cli.console;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
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
 * @param data standard output as bytes, for an export's lines ({@code --output=-}); the commands'
 *     own messages then go to {@code err} (see {@link #messagesOnStderr()})
 */
public record CliContext(Map<String, String> environment, PrintWriter out, PrintWriter err, PrintStream terminal,
    boolean systemEnvironment, OutputStream data) {

  /** The real process: its environment, stdout and stderr, and stdout's terminal if there is one. */
  public static CliContext system() {
    boolean interactive = System.console() != null && !"dumb".equals(System.getenv("TERM"));
    return new CliContext(System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true),
        interactive ? System.out : null, true, new FileOutputStream(FileDescriptor.out));
  }

  /** For tests: this environment and these streams, no terminal; data lines go to {@code out} too. */
  public static CliContext of(Map<String, String> environment, PrintWriter out, PrintWriter err) {
    return new CliContext(Map.copyOf(environment), out, err, null, false, new OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        // Writers hand whole lines, so a batch never splits a character.
        out.write(new String(b, off, len, StandardCharsets.UTF_8));
        out.flush();
      }
    });
  }

  /**
   * This context with the commands' messages (first line, progress, summary) on stderr, and no
   * terminal to draw on: standard output then carries data only.
   */
  public CliContext messagesOnStderr() {
    return new CliContext(environment, err, err, null, systemEnvironment, data);
  }

  public boolean interactive() {
    return terminal != null;
  }
}
