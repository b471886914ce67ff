package io.scrapinghubio.cli;

import io.scrapinghubio.cli.console.CliContext;
import io.scrapinghubio.cli.console.ErrorText;

import io.scrapinghubio.cli.emulator.EmulatorCommand;
import io.scrapinghubio.cli.export.ExportCommand;
import io.scrapinghubio.cli.follow.FollowCommand;
import io.scrapinghubio.cli.load.LoadCommand;
import io.scrapinghubio.cli.run.StagingDirs;
import io.scrapinghubio.cli.schedule.ScheduleCommand;
import java.nio.file.Path;
import java.util.List;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar scrapinghub-io.jar <command> [options]}: the connector's Beam pipelines and its
 * emulator from a terminal. Exit codes: 0 done, 1 the run failed, 2 bad usage (nothing was started).
 */
@Command(name = "scrapinghub-io", mixinStandardHelpOptions = true, versionProvider = JarVersion.class,
    synopsisSubcommandLabel = "COMMAND",
    description = {"Export, load into PostgreSQL, follow, crawl and emulate Scrapy Cloud (Zyte) projects with Apache Beam.",
        "Without --project and without an API key (SH_APIKEY, SHUB_APIKEY or --apikey-file) a command runs on an "
            + "embedded emulator seeded with demo data."},
    subcommands = {ExportCommand.class, LoadCommand.class, FollowCommand.class, ScheduleCommand.class, EmulatorCommand.class,
        AutoComplete.GenerateCompletion.class},
    footer = {"", "Exit codes: 0 done, 1 the run failed, 2 bad usage.",
        "`scrapinghub-io COMMAND --help` lists a command's options with their defaults.",
        "Tab completion in bash or zsh: source <(scrapinghub-io generate-completion)"})
public final class ScrapinghubCli implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command: expected one of export, load, follow, schedule, emulator");
  }

  public static void main(String[] args) {
    LogLevels.configure(args);
    CliContext context = CliContext.system();
    CommandLine cl = commandLine(context);
    CommandLine.IExecutionStrategy run = cl.getExecutionStrategy();
    // A command stopped (Ctrl-C, SIGTERM) before its pipeline starts leaves no staging directory either.
    cl.setExecutionStrategy(parsed -> {
      try (AutoCloseable guard = stagingGuard(parsed, context)) {
        return run.execute(parsed);
      } catch (CommandLine.ParameterException | CommandLine.ExecutionException e) {
        throw e;
      } catch (Exception e) {
        throw new CommandLine.ExecutionException(cl, e.getMessage(), e);
      }
    });
    int code;
    try {
      code = cl.execute(args);
    } catch (Throwable e) { // an Error past picocli's handlers: say it and exit, or Flink's threads keep the JVM up
      context.err().println("error: " + ErrorText.describe(e));
      context.err().flush();
      code = 1;
    }
    // The command has said everything: what Flink's embedded cluster and its actor system still do
    // in their shutdown hooks (closing while the JVM exits, their class loader sometimes closed
    // first: "NoClassDefFoundError: CoordinatedShutdown$JvmExitReason$") is not the user's concern.
    boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
    Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
      if (verbose) {
        System.err.println("After the command ended, in " + thread.getName() + ": " + e);
      }
    });
    System.exit(code);
  }

  /** For the commands that stage their output ({@code export}, {@code schedule}): see {@link StagingDirs#removeOnStop}. */
  private static AutoCloseable stagingGuard(CommandLine.ParseResult parsed, CliContext context) {
    CommandLine.ParseResult command = parsed.subcommand();
    if (command == null || !List.of("export", "schedule").contains(command.commandSpec().name())
        || command.isUsageHelpRequested() || command.isVersionHelpRequested()) {
      return () -> {};
    }
    CommandLine.Model.OptionSpec option = command.commandSpec().findOption("--output");
    String output = command.matchedOptionValue("--output", option == null ? null : option.defaultValue());
    if (output == null || output.contains("://") || output.equals("-")) {
      return () -> {};
    }
    return StagingDirs.removeOnStop(Path.of(output).toAbsolutePath().normalize(), context.err());
  }

  /** The command line as {@code main} runs it, writing to {@code context}'s streams (tests pass their own). */
  public static CommandLine commandLine(CliContext context) {
    CommandLine cl = new CommandLine(new ScrapinghubCli(), new ContextFactory(context));
    cl.setOut(context.out());
    cl.setErr(context.err());
    cl.setParameterExceptionHandler(new UsageErrorHandler());
    cl.setExecutionExceptionHandler(new RunFailureHandler());
    cl.setUsageHelpWidth(110);
    cl.setUsageHelpLongOptionsMaxWidth(32);
    // picocli hides its completion command; listed in the help so that users find it.
    cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
    // The emulator's options come from the emulator's table of settings, not from annotations here.
    EmulatorCommand.declareSettings(cl.getSubcommands().get("emulator").getCommandSpec());
    return cl;
  }
}
