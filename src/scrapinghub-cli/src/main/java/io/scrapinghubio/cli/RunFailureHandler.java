package io.scrapinghubio.cli;

import io.scrapinghubio.cli.console.ErrorText;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * A run that failed: one line saying what failed (the most telling message in the exception's
 * causes, see {@link ErrorText#describe}), exit code 1; the stack trace only with {@code --verbose}.
 */
final class RunFailureHandler implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    cmd.getErr().println("error: " + ErrorText.describe(ex));
    if (verbose(parseResult)) {
      ex.printStackTrace(cmd.getErr());
    }
    cmd.getErr().flush();
    return cmd.getCommandSpec().exitCodeOnExecutionException();
  }

  private static boolean verbose(ParseResult result) {
    for (ParseResult r = result; r != null; r = r.subcommand()) {
      if (r.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }
}
