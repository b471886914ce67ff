package io.scrapinghubio.cli.options;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code host:port} of a Flink cluster's JobManager (its REST port, 8081 by default). */
public final class HostPortConverter implements ITypeConverter<String> {
  @Override
  public String convert(String value) {
    String v = value.strip();
    int colon = v.lastIndexOf(':');
    if (colon > 0 && colon < v.length() - 1 && !v.contains("/")) {
      try {
        int port = Integer.parseInt(v.substring(colon + 1));
        if (port > 0 && port < 65536) {
          return v;
        }
      } catch (NumberFormatException ignored) {
        // the message below
      }
    }
    throw new TypeConversionException("'" + value + "' is not host:port: expected the Flink JobManager's address, "
        + "e.g. localhost:8081");
  }
}
