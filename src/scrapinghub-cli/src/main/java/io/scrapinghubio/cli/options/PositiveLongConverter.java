package io.scrapinghubio.cli.options;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A positive integer; the message says which thing was expected (e.g. "a project id"). */
public abstract class PositiveLongConverter implements ITypeConverter<Long> {
  private final String what;

  PositiveLongConverter(String what) {
    this.what = what;
  }

  @Override
  public Long convert(String value) {
    try {
      long v = Long.parseLong(value.strip());
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // the message below covers both cases
    }
    throw new TypeConversionException("'" + value + "' is not " + what + ": expected a positive integer");
  }

  /** Project ids are the number in the project's URL, app.zyte.com/p/&lt;id&gt;/. */
  public static final class ProjectId extends PositiveLongConverter {
    public ProjectId() {
      super("a project id (the number in app.zyte.com/p/<id>/)");
    }
  }
}
