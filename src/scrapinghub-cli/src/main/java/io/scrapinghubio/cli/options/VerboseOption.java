package io.scrapinghubio.cli.options;

import picocli.CommandLine.Option;

/** {@code --verbose}: read by the error handler (stack traces) and before start-up (log levels). */
public final class VerboseOption {
  @Option(names = "--verbose",
      description = "Print stack traces of errors, and Beam's, Flink's and the connector's info logs (default: off)")
  public boolean verbose;
}
