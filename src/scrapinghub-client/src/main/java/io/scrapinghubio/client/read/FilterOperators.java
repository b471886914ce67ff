package io.scrapinghubio.client.read;

import java.util.List;

/**
 * The operators of the storage API's {@code filter} triples {@code [field, operator, [values]]}.
 *
 * <p>Checked on the client because a misspelt operator is a typo the user should hear about at
 * once, by name, before a pipeline runs: the service refuses an operator it does not know only
 * when it has a record to test it on, so a read of an empty job, or one against a lenient
 * server, "succeeds" with nothing. The list is the operators python-scrapinghub's code, tests
 * and the API documentation use, and the emulator implements.
 */
public final class FilterOperators {
  /** Every operator the service knows, in the order the documentation lists them. */
  public static final List<String> KNOWN = List.of(
      "=", "==", "!=", "in", ">", "<", ">=", "<=", "contains", "icontains", "startswith", "haselement", "hasnotelement",
      "exists");

  private FilterOperators() {}

  /**
   * Checks that a filter's operator is one the service knows.
   *
   * @param operator the operator
   * @param filter the whole filter, for the message
   * @return the operator
   * @throws IllegalArgumentException naming the operator, the filter and the operators expected
   */
  public static String check(String operator, String filter) {
    if (!KNOWN.contains(operator)) {
      throw new IllegalArgumentException("unknown filter operator '" + operator + "' in filter " + filter
          + ": expected one of " + String.join(" ", KNOWN));
    }
    return operator;
  }
}
