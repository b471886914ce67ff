package io.scrapinghubio.cli.options;

import picocli.CommandLine.Option;

/** How a command shows its progress. */
public final class ProgressOptions {
  /** Where progress goes. */
  public enum Mode {
    auto, bar, lines, none
  }

  @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
      description = "bar: a live progress bar; lines: a progress line every --progress-seconds; none; "
          + "auto: a bar when stdout is a terminal, else lines (default: ${DEFAULT-VALUE})")
  public Mode mode;

  @Option(names = "--progress-seconds", paramLabel = "N", defaultValue = "5",
      converter = PositiveIntConverter.AtLeastOne.class,
      description = "Seconds between progress lines (default: ${DEFAULT-VALUE})")
  public int seconds;
}
