package io.scrapinghubio.emulator;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one line the standalone emulator ({@link EmulatorMain}) prints once its port accepts
 * connections and every request sees all the demo data. Containers and tests wait for it instead
 * of polling the port; its text is fixed here, with the parser, so that both sides agree:
 *
 * <pre>
 * Scrapy Cloud emulator ready on http://127.0.0.1:8080/ (storage API) and http://127.0.0.1:8080/api/ (dash API)
 * </pre>
 *
 * @param storageUrl storage API base URL (trailing slash included)
 * @param dashUrl dash/app API base URL (trailing slash included)
 */
public record EmulatorReadyLine(String storageUrl, String dashUrl) {
  /** How the line starts: wait for a line that starts with this. */
  public static final String PREFIX = "Scrapy Cloud emulator ready on ";

  private static final Pattern LINE =
      Pattern.compile(Pattern.quote(PREFIX) + "(\\S+) \\(storage API\\) and (\\S+) \\(dash API\\)");

  /**
   * The ready line of a running emulator.
   *
   * @param emulator a started emulator
   * @return its ready line
   */
  public static EmulatorReadyLine of(ScrapyCloudEmulator emulator) {
    return new EmulatorReadyLine(emulator.storageUrl(), emulator.dashUrl());
  }

  /**
   * The URLs of a ready line; empty for any other line.
   *
   * @param line a line of an emulator's output
   * @return the ready line's URLs, or empty
   */
  public static Optional<EmulatorReadyLine> parse(String line) {
    Matcher m = LINE.matcher(line.strip());
    return m.matches() ? Optional.of(new EmulatorReadyLine(m.group(1), m.group(2))) : Optional.empty();
  }

  /**
   * The line as printed (without the line break).
   *
   * @return the line
   */
  public String text() {
    return PREFIX + storageUrl + " (storage API) and " + dashUrl + " (dash API)";
  }
}
