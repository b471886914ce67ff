package io.scrapinghubio.emulator.http;

import io.scrapinghubio.emulator.json.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The storage API {@code filter} parameter: JSON triples {@code [field, op, [values]]}, several
 * of them combined with AND. Supported operators: {@code = == != in}, {@code > < >= <=},
 * {@code contains icontains startswith}, {@code haselement hasnotelement}, {@code exists}.
 * Dotted field names reach into nested objects.
 *
 * <p>Every condition is checked when the request is parsed, before any record is read or any byte
 * is sent: an unknown operator is a 400 naming it even when no record would reach the condition
 * (an empty job or collection), so a typo never passes as an empty result.
 */
public final class RecordFilter {

  /** The operators {@link #test(Cond, Object)} knows. */
  static final Set<String> OPERATORS = Set.of("exists", "=", "==", "in", "!=", ">", "<", ">=", "<=",
      "contains", "icontains", "startswith", "haselement", "hasnotelement");

  private record Cond(String field, String op, List<Object> values) {}

  private final List<Cond> conds;

  private RecordFilter(List<Cond> conds) {
    this.conds = conds;
  }

  /**
   * Parses the {@code filter} parameters; null when there are none.
   *
   * @param params the values of the {@code filter} parameter
   * @return the filter, or null
   */
  public static RecordFilter parse(List<String> params) {
    if (params.isEmpty()) {
      return null;
    }
    List<Cond> conds = new ArrayList<>();
    for (String p : params) {
      Object o;
      try {
        o = Json.parse(p);
      } catch (RuntimeException e) {
        throw HttpError.badRequest("Invalid filter: " + p);
      }
      if (!(o instanceof List) || ((List<?>) o).size() < 2) {
        throw HttpError.badRequest("Invalid filter: " + p);
      }
      List<?> t = (List<?>) o;
      String op = String.valueOf(t.get(1));
      if (!OPERATORS.contains(op)) {
        throw HttpError.badRequest("Invalid filter: unknown operator '" + op + "' in " + p
            + " (known: " + String.join(" ", new java.util.TreeSet<>(OPERATORS)) + ")");
      }
      Object vals = t.size() > 2 ? t.get(2) : List.of();
      List<Object> values = vals instanceof List ? new ArrayList<>((List<?>) vals) : new ArrayList<>(List.of(vals));
      conds.add(new Cond(String.valueOf(t.get(0)), String.valueOf(t.get(1)), values));
    }
    return new RecordFilter(conds);
  }

  /**
   * Whether a record passes every condition.
   *
   * @param record a parsed record
   * @return true when it passes
   */
  public boolean test(Object record) {
    for (Cond c : conds) {
      if (!test(c, lookup(record, c.field))) {
        return false;
      }
    }
    return true;
  }

  private static final Object MISSING = new Object();

  private static Object lookup(Object record, String field) {
    Object cur = record;
    for (String part : field.split("\\.")) {
      if (!(cur instanceof Map) || !((Map<?, ?>) cur).containsKey(part)) {
        return MISSING;
      }
      cur = ((Map<?, ?>) cur).get(part);
    }
    return cur;
  }

  private static boolean test(Cond c, Object v) {
    switch (c.op) {
      case "exists":
        return v != MISSING;
      case "=":
      case "==":
      case "in":
        return v != MISSING && c.values.stream().anyMatch(x -> eq(v, x));
      case "!=":
        return v == MISSING || c.values.stream().noneMatch(x -> eq(v, x));
      case ">":
        return cmp(v, c.values) > 0;
      case "<":
        return cmp(v, c.values) < 0 && cmp(v, c.values) != Integer.MIN_VALUE;
      case ">=":
        return cmp(v, c.values) >= 0;
      case "<=":
        return cmp(v, c.values) <= 0 && cmp(v, c.values) != Integer.MIN_VALUE;
      case "contains":
      case "icontains":
        boolean ci = c.op.equals("icontains");
        return c.values.stream().anyMatch(x -> contains(v, x, ci));
      case "startswith":
        return v instanceof String && c.values.stream().anyMatch(x -> ((String) v).startsWith(String.valueOf(x)));
      case "haselement":
        return v instanceof List && c.values.stream().anyMatch(x -> ((List<?>) v).stream().anyMatch(e -> eq(e, x)));
      case "hasnotelement":
        return !(v instanceof List) || c.values.stream().noneMatch(x -> ((List<?>) v).stream().anyMatch(e -> eq(e, x)));
      default:
        throw new IllegalStateException("operator not checked at parse time: " + c.op);
    }
  }

  private static boolean contains(Object v, Object x, boolean ci) {
    if (v instanceof String) {
      String s = (String) v;
      String needle = String.valueOf(x);
      return ci ? s.toLowerCase().contains(needle.toLowerCase()) : s.contains(needle);
    }
    if (v instanceof List) {
      return ((List<?>) v).stream().anyMatch(e -> eq(e, x));
    }
    return false;
  }

  private static boolean eq(Object a, Object b) {
    if (a instanceof Number && b instanceof Number) {
      return num(a).compareTo(num(b)) == 0;
    }
    return a == null ? b == null : a.equals(b);
  }

  /** Compares with the first value; MIN_VALUE when not comparable (the condition fails). */
  private static int cmp(Object v, List<Object> values) {
    if (v == MISSING || values.isEmpty()) {
      return Integer.MIN_VALUE;
    }
    Object x = values.get(0);
    if (v instanceof Number && x instanceof Number) {
      return Integer.signum(num(v).compareTo(num(x)));
    }
    if (v instanceof String && x instanceof String) {
      return Integer.signum(((String) v).compareTo((String) x));
    }
    return Integer.MIN_VALUE;
  }

  private static BigDecimal num(Object n) {
    return new BigDecimal(n.toString());
  }
}
