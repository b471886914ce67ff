package io.scrapinghubio.cli.options;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A point in time for {@code --start}/{@code --end}: epoch milliseconds (as the Scrapy Cloud API
 * takes them), an ISO-8601 instant or date-time ({@code 2024-05-01T12:00:00Z}, offset optional:
 * UTC), or a date ({@code 2024-05-01}, midnight UTC).
 */
public final class TimeConverter implements ITypeConverter<Instant> {
  @Override
  public Instant convert(String value) {
    String v = value.strip();
    if (v.matches("\\d{1,15}")) {
      return Instant.ofEpochMilli(Long.parseLong(v));
    }
    try {
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException notWithOffset) {
      try {
        return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException notLocal) {
        try {
          return LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notDate) {
          throw new TypeConversionException("'" + value + "' is not a time: expected epoch milliseconds, "
              + "an ISO-8601 date-time (2024-05-01T12:00:00Z) or a date (2024-05-01, UTC)");
        }
      }
    }
  }
}
