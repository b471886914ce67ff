package io.scrapinghubio.cli;

import io.scrapinghubio.cli.console.ErrorText;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Bad usage: one line naming the bad value and what was expected, exit code 2. No usage dump:
 * the line says where the full list of options is.
 */
final class UsageErrorHandler implements IParameterExceptionHandler {
  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    StringBuilder line = new StringBuilder("error: ").append(ErrorText.oneLine(ex.getMessage()));
    if (ex instanceof UnmatchedArgumentException unmatched) {
      List<String> suggestions = unmatched.getSuggestions();
      if (!suggestions.isEmpty()) {
        line.append(" (did you mean ").append(String.join(" or ", suggestions)).append("?)");
      }
      if (unmatched.getUnmatched().stream().anyMatch(a -> a.startsWith("-"))) {
        line.append("; Beam pipeline options go after --");
      }
    }
    line.append("; see '").append(cmd.getCommandSpec().qualifiedName()).append(" --help'");
    cmd.getErr().println(line);
    cmd.getErr().flush();
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }
}
