package io.scrapinghubio.cli.options;

import io.scrapinghubio.client.JobQuery;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A job state Scrapy Cloud lists by: pending, running, finished or deleted. */
public final class JobStateConverter implements ITypeConverter<String> {
  @Override
  public String convert(String value) {
    String v = value.strip().toLowerCase(java.util.Locale.ROOT);
    if (!JobQuery.STATES.contains(v)) {
      throw new TypeConversionException("'" + value + "' is not a job state: expected one of "
          + String.join(", ", JobQuery.STATES));
    }
    return v;
  }
}
