package io.scrapinghubio.cli.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.scrapinghubio.cli.ScrapinghubCli;
import io.scrapinghubio.cli.console.CliContext;
import io.scrapinghubio.emulator.EmulatorSetting;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code emulator} command has an option for every emulator setting, with the setting's name and
 * default, and hands what it was given to the emulator unchanged: the emulator's own command line and
 * this one cannot drift apart.
 */
class EmulatorCommandSettingsTest {
  private static CommandLine cli(StringWriter out) {
    CliContext context = CliContext.of(Map.of(), new PrintWriter(out, true), new PrintWriter(out, true));
    return ScrapinghubCli.commandLine(context);
  }

  private static CommandLine emulatorCommand(StringWriter out) {
    return cli(out).getSubcommands().get("emulator");
  }

  @Test
  void everySettingIsAnOptionWithItsDefault() {
    CommandLine emulator = emulatorCommand(new StringWriter());
    for (EmulatorSetting s : EmulatorSetting.values()) {
      OptionSpec option = emulator.getCommandSpec().findOption(s.option());
      assertNotNull(option, s + " has no option on the emulator command");
      if (s.defaultValue() != null && !s.isSwitch()) {
        assertTrue(String.join(" ", option.description()).contains("(default: " + s.defaultValue() + ")"),
            s + ": " + String.join(" ", option.description()));
      }
    }
    StringWriter help = new StringWriter();
    emulator.usage(new PrintWriter(help));
    assertTrue(help.toString().contains("--demo-items-per-job=N"), help.toString());
  }

  @Test
  void givenOptionsReachTheEmulatorAsItsOwnCommandLine() {
    CommandLine cli = cli(new StringWriter());
    CommandLine emulator = cli.getSubcommands().get("emulator");
    cli.parseArgs("emulator", "--port=0", "--crawl-items=7", "--crawl-spider=books,news", "--no-gzip", "--apikey=k");
    EmulatorCommand command = emulator.getCommand();
    assertEquals(List.of("--port", "0", "--apikey", "k", "--crawl-spider", "books", "--crawl-spider", "news",
        "--crawl-items-per-job", "7", "--no-gzip"), command.emulatorArguments());
  }

  @Test
  void aBadValueIsAUsageErrorNamingTheOption() {
    StringWriter out = new StringWriter();
    int code = cli(out).execute("emulator", "--port=0", "--demo-jobs=many", "--stop-after=1s");
    assertEquals(2, code, out.toString());
    assertTrue(out.toString().contains("option --demo-jobs: not a number: many"), out.toString());
  }
}
