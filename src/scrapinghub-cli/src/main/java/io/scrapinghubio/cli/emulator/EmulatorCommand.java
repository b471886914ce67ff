package io.scrapinghubio.cli.emulator;

import io.scrapinghubio.cli.console.CliContext;
import io.scrapinghubio.cli.console.Counted;
import io.scrapinghubio.cli.options.DurationConverter;
import io.scrapinghubio.cli.options.VerboseOption;
import io.scrapinghubio.emulator.EmulatorMain;
import io.scrapinghubio.emulator.EmulatorReadyLine;
import io.scrapinghubio.emulator.EmulatorSetting;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code emulator}: the Scrapy Cloud emulator on its own, for trying the other commands, a
 * python-scrapinghub script or {@code shub} against it. Serves until Ctrl-C (or {@code --stop-after}).
 *
 * <p>Its emulator options are not declared here: {@link #declareSettings} adds one per
 * {@link EmulatorSetting}, with the names, defaults and help that the emulator's own command line and
 * container use, and {@link EmulatorMain#start} reads them as the emulator's command line does.
 */
@Command(name = "emulator", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Start a local Scrapy Cloud emulator (storage and dash APIs on one port), optionally with demo "
        + "data, and serve until Ctrl-C. Jobs of --crawl-spider spiders really run when scheduled (items appear "
        + "while they run)."},
    footer = {"", "For example:",
        "  scrapinghub-io emulator --port=8080 --demo-jobs=20 --crawl-spider=books",
        "Then, in another terminal:",
        "  SH_APIKEY=anykey scrapinghub-io export --endpoint=http://127.0.0.1:8080/ --project=2222222 --output=items",
        "  SH_APIKEY=anykey scrapinghub-io schedule --endpoint=http://127.0.0.1:8080/ \\",
        "      --dash-endpoint=http://127.0.0.1:8080/api/ --project=2222222 --spider=books --output=books"})
public final class EmulatorCommand implements Callable<Integer> {
  /** Earlier spellings of this command's options, still accepted. */
  static final Map<EmulatorSetting, String> ALIASES = Map.of(EmulatorSetting.CRAWL_ITEMS_PER_JOB, "--crawl-items");

  private final CliContext context;

  @Spec
  CommandSpec spec;

  @Option(names = "--stop-after", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Stop after this long, e.g. 10m (default: serve until Ctrl-C)")
  Duration stopAfter;

  @Mixin
  VerboseOption verbose;

  EmulatorCommand(CliContext context) {
    this.context = context;
  }

  /**
   * Adds one option per {@link EmulatorSetting} to the {@code emulator} command: called where the
   * command line is built, before it parses anything.
   *
   * @param command the command's spec
   */
  public static void declareSettings(CommandSpec command) {
    for (EmulatorSetting s : EmulatorSetting.values()) {
      command.addOption(optionOf(s));
    }
  }

  /** The option of one setting; its value stays text, which {@link EmulatorMain} checks. */
  static OptionSpec optionOf(EmulatorSetting s) {
    String alias = ALIASES.get(s);
    OptionSpec.Builder o = OptionSpec.builder(alias == null ? new String[] {s.option()} : new String[] {s.option(), alias});
    String help = Character.toUpperCase(s.help().charAt(0)) + s.help().substring(1);
    if (s.isSwitch()) {
      return o.arity("0").type(boolean.class).description(help).build();
    }
    o.paramLabel(s.valueLabel());
    if (s.isRepeatable()) {
      // Repeatable, or comma-separated as in the container's variables.
      o.type(List.class).auxiliaryTypes(String.class).splitRegex(",");
      help += " (repeatable, or comma-separated)";
    } else {
      o.type(String.class);
    }
    if (s.defaultValue() != null) {
      help += " (default: " + s.defaultValue() + ")";
    } else if (!help.contains("default")) {
      help += " (default: none)";
    }
    return o.description(help).build();
  }

  @Override
  public Integer call() throws InterruptedException {
    ScrapyCloudEmulator emulator;
    try {
      emulator = EmulatorMain.start(emulatorArguments());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread onCtrlC = new Thread(() -> {
      emulator.close();
      stopped.countDown();
    }, "scrapinghub-cli-emulator-stop");
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    context.out().println(summary());
    // Last, in the emulator's standard form (what EmulatorMain prints), for tools waiting for it.
    context.out().println(EmulatorReadyLine.of(emulator).text());
    context.out().flush();
    boolean timedOut = stopAfter != null && !stopped.await(stopAfter.toMillis(), TimeUnit.MILLISECONDS);
    if (stopAfter == null) {
      stopped.await();
    }
    if (timedOut) {
      Runtime.getRuntime().removeShutdownHook(onCtrlC);
      emulator.close();
      context.out().println("Stopped after " + DurationConverter.format(stopAfter) + ".");
      context.out().flush();
    }
    return 0;
  }

  /** The settings given, as the emulator's command line: {@code --NAME VALUE} each (unset ones keep their defaults). */
  List<String> emulatorArguments() {
    List<String> args = new ArrayList<>();
    for (EmulatorSetting s : EmulatorSetting.values()) {
      Object value = spec.findOption(s.option()).getValue();
      if (s.isSwitch()) {
        if (Boolean.TRUE.equals(value)) {
          args.add(s.option());
        }
      } else if (value instanceof List<?> list) {
        for (Object one : list) {
          args.add(s.option());
          args.add(one.toString().strip());
        }
      } else if (value != null) {
        args.add(s.option());
        args.add(value.toString());
      }
    }
    return args;
  }

  /** e.g. "Project 2222222 has 3 finished demo jobs x 50 items; spiders books run when scheduled; any API key accepted. Ctrl-C stops it." */
  private String summary() {
    int jobs = Integer.parseInt(given(EmulatorSetting.DEMO_JOBS));
    String demo = jobs > 0
        ? String.format("Project %s has %s x %s", given(EmulatorSetting.DEMO_PROJECT), Counted.of(jobs, "finished demo job"),
            Counted.of(Integer.parseInt(given(EmulatorSetting.DEMO_ITEMS_PER_JOB)), "item"))
        : "No demo data (--demo-jobs=N seeds some)";
    List<String> crawlers = givenList(EmulatorSetting.CRAWL_SPIDER);
    String spiders = crawlers.isEmpty() ? "no spider runs when scheduled (--crawl-spider=NAME runs one)"
        : "spiders " + String.join(", ", crawlers) + " run when scheduled";
    String keys = !givenList(EmulatorSetting.APIKEY_FILE).isEmpty()
        ? "only the keys in " + String.join(", ", givenList(EmulatorSetting.APIKEY_FILE))
            + (givenList(EmulatorSetting.APIKEY).isEmpty() ? "" : " and --apikey") + " accepted"
        : givenList(EmulatorSetting.APIKEY).isEmpty() ? "any API key accepted" : "only the --apikey keys accepted";
    return demo + "; " + spiders + "; " + keys + ". Ctrl-C stops it.";
  }

  /** A single-valued setting as given, else its default (these parsed already, in {@link EmulatorMain#start}). */
  private String given(EmulatorSetting s) {
    Object v = spec.findOption(s.option()).getValue();
    return v == null ? s.defaultValue() : v.toString().strip();
  }

  private List<String> givenList(EmulatorSetting s) {
    Object v = spec.findOption(s.option()).getValue();
    List<String> out = new ArrayList<>();
    if (v instanceof List<?> list) {
      list.forEach(one -> out.add(one.toString().strip()));
    }
    return out;
  }
}
