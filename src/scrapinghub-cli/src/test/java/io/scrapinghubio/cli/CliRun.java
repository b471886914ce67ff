package io.scrapinghubio.cli;

import io.scrapinghubio.cli.console.CliContext;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

/** One in-process run of the command line, as {@code main} runs it, with its output captured. */
public record CliRun(int exitCode, String out, String err) {

  /** Runs {@code args} with no API key in the environment. */
  public static CliRun run(String... args) {
    return run(Map.of(), args);
  }

  /** Runs {@code args} with {@code environment} as the process environment (e.g. SH_APIKEY). */
  public static CliRun run(Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ScrapinghubCli.commandLine(CliContext.of(environment, new PrintWriter(out, true), new PrintWriter(err, true)))
        .execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  public List<String> outLines() {
    return out.lines().toList();
  }

  public List<String> errLines() {
    return err.lines().toList();
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- out ---\n" + out + "--- err ---\n" + err;
  }
}
