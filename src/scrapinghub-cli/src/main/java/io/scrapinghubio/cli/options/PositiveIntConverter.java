package io.scrapinghubio.cli.options;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A whole number in a range, with a message naming the value and the range. */
public abstract class PositiveIntConverter implements ITypeConverter<Integer> {
  private final int min;

  PositiveIntConverter(int min) {
    this.min = min;
  }

  @Override
  public Integer convert(String value) {
    try {
      int v = Integer.parseInt(value.strip());
      if (v >= min) {
        return v;
      }
    } catch (NumberFormatException ignored) {
      // the message below covers both cases
    }
    throw new TypeConversionException("'" + value + "' is not valid: expected a whole number >= " + min);
  }

  /** 1 or more. */
  public static final class AtLeastOne extends PositiveIntConverter {
    public AtLeastOne() {
      super(1);
    }
  }

  /** 0 or more. */
  public static final class AtLeastZero extends PositiveIntConverter {
    public AtLeastZero() {
      super(0);
    }
  }
}
