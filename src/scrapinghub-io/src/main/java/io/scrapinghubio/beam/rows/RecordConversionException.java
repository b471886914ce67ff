package io.scrapinghubio.beam.rows;

/**
 * A record does not fit the read's output: which field (a path such as {@code offer.price} or
 * {@code tags[2]}), what the output expects there, what the record holds. The path is assembled
 * while the exception travels up from the field, so the conversion builds no text unless it fails.
 */
final class RecordConversionException extends Exception {
  private static final long serialVersionUID = 1L;
  private String path;
  private final String problem;

  RecordConversionException(String field, String problem) {
    super(null, null, false, false); // no stack trace: thrown per bad record, the message says it all
    this.path = field;
    this.problem = problem;
  }

  /** Called by the enclosing object or array: prefixes its own name to the path. */
  RecordConversionException within(String parent) {
    if (parent != null && !parent.isEmpty()) {
      path = path.isEmpty() || path.startsWith("[") ? parent + path : parent + "." + path;
    }
    return this;
  }

  @Override
  public String getMessage() {
    return path.isEmpty() ? problem : "field '" + path + "': " + problem;
  }
}
