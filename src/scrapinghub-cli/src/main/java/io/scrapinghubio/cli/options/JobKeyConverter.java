package io.scrapinghubio.cli.options;

import io.scrapinghubio.client.core.JobKey;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A job key {@code PROJECT/SPIDER/JOB}, as Scrapy Cloud shows it (e.g. 123/1/4). */
public final class JobKeyConverter implements ITypeConverter<JobKey> {
  @Override
  public JobKey convert(String value) {
    try {
      return JobKey.parse(value.strip());
    } catch (RuntimeException e) {
      throw new TypeConversionException("'" + value + "' is not a job key: expected PROJECT/SPIDER/JOB, e.g. 123/1/4");
    }
  }
}
