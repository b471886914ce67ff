package io.scrapinghubio.cli.options;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A positive duration as people type it: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, or ISO-8601 {@code PT1M30S}. */
public final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  @Override
  public Duration convert(String value) {
    Duration d = parse(value.strip());
    if (d == null || d.isNegative() || d.isZero()) {
      throw new TypeConversionException("'" + value + "' is not a duration: expected e.g. 30s, 5m, 2h or PT1M30S");
    }
    return d;
  }

  private static Duration parse(String v) {
    Matcher m = SHORT.matcher(v);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(v);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** {@code 90s} as {@code 1m30s}: how the help and messages show a duration. */
  public static String format(Duration d) {
    String s = d.toString().substring(2).toLowerCase();
    return s.isEmpty() ? "0s" : s;
  }
}
