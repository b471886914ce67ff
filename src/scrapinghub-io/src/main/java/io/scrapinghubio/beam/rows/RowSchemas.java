package io.scrapinghubio.beam.rows;

import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.Schema.TypeName;

/**
 * What a schema inferred by {@code read().asRows()} looks like, for code that uses it (e.g. to
 * create a database table from {@code inferSchema()}).
 *
 * <ul>
 *   <li>Fields: {@value #KEY_FIELD} (the record's key {@code P/S/J/N}) and {@value #JOB_FIELD} (its
 *       job {@code P/S/J}), both STRING, then the items' fields sorted by name (Java {@code String}
 *       order), at every nesting level; so the same items always give the same schema.
 *   <li>Types: BOOLEAN, INT64, DOUBLE (a field that holds integers and floats), STRING, ROW (a JSON
 *       object), ARRAY of an element type (nullable elements). A field only ever null (or arrays only
 *       ever empty) is STRING (ARRAY of STRING). Every field is nullable.
 *   <li>A field whose values cannot share one type (a string here, an object there; an array of
 *       numbers and strings; objects nested deeper than {@value #MAX_ROW_DEPTH} levels) is a STRING
 *       holding the value's JSON text, marked with the field option {@value #JSON_OPTION}
 *       ({@link #holdsJson}): {@code "abc"} is stored as {@code "\"abc\""}, an object as {@code {...}}.
 *   <li>Names are kept as they are, Unicode included (what a database table wants). An item's own
 *       {@value #KEY_FIELD} or {@value #JOB_FIELD} field is replaced by the record's lineage, and an
 *       empty name is left out of the schema.
 *   <li>Beam SQL can select any name in backquotes, but its aggregations resolve fields through
 *       Beam's field-access parser, which takes only {@code [A-Za-z0-9_$]} names: {@code GROUP BY}
 *       over {@code `prix €`} fails. {@code asRows().withSqlSafeFieldNames()} renames such fields
 *       ({@link #sqlSafeName}: accents dropped, every other run of characters outside
 *       {@code [A-Za-z0-9_]} made one {@code _}, a numeric suffix {@code _2}, {@code _3}... on a
 *       clash) and records each field's name in the items in the field option
 *       {@value #NAME_OPTION}, which the conversion follows.
 * </ul>
 */
public final class RowSchemas {
  /** The record's key {@code P/S/J/N}. */
  public static final String KEY_FIELD = "_key";
  /** The key {@code P/S/J} of the job the record belongs to. */
  public static final String JOB_FIELD = "_job";
  /** Field option (boolean {@code true}) on STRING fields that hold a value's JSON text. */
  public static final String JSON_OPTION = "scrapinghubio_json";
  /** Field option (STRING) holding the item field's name when the schema field was renamed. */
  public static final String NAME_OPTION = "scrapinghubio_name";
  /** Objects nested deeper than this become JSON text. */
  public static final int MAX_ROW_DEPTH = 16;

  private RowSchemas() {}

  /**
   * Whether {@code field} holds JSON text (a value of mixed or too deeply nested type).
   *
   * @param field a field of an inferred schema
   * @return true when its values are JSON text
   */
  public static boolean holdsJson(Field field) {
    return field.getType().getTypeName() == TypeName.STRING
        && field.getOptions().hasOption(JSON_OPTION)
        && Boolean.TRUE.equals(field.getOptions().getValue(JSON_OPTION));
  }

  /**
   * The name of {@code field} in the items: {@link #NAME_OPTION} when it was renamed, else its
   * name.
   *
   * @param field a field of a schema
   * @return the item field it is read from
   */
  public static String itemFieldName(Field field) {
    return field.getOptions().hasOption(NAME_OPTION) ? field.getOptions().getValue(NAME_OPTION) : field.getName();
  }

  /**
   * Whether Beam's field-access parser (and so every Beam SQL operation) takes {@code name} as it
   * is.
   *
   * @param name a field name
   * @return true when Beam SQL takes it unquoted
   */
  public static boolean isSqlSafe(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code name} as Beam SQL takes it: unchanged when {@link #isSqlSafe}; otherwise accents
   * dropped ({@code été} → {@code ete}), each run of other characters made one {@code _}, leading
   * and trailing {@code _} added by this trimmed, and {@code f} when nothing is left. Clashes are
   * resolved by the caller.
   *
   * @param name an item field's name
   * @return a name Beam SQL takes
   */
  public static String sqlSafeName(String name) {
    if (isSqlSafe(name)) {
      return name;
    }
    String plain = java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
    String safe = plain.replaceAll("[^A-Za-z0-9_]+", "_");
    int from = 0;
    int to = safe.length();
    while (from < to && safe.charAt(from) == '_' && !(from < plain.length() && plain.charAt(from) == '_')) {
      from++;
    }
    while (to > from && safe.charAt(to - 1) == '_' && !plain.endsWith("_")) {
      to--;
    }
    safe = safe.substring(from, to);
    return safe.isEmpty() ? "f" : safe;
  }

  /** A nullable STRING field marked as holding JSON text. */
  static Field jsonField(String name) {
    return Field.nullable(name, FieldType.STRING)
        .withOptions(Schema.Options.builder().setOption(JSON_OPTION, FieldType.BOOLEAN, true));
  }

  /**
   * One field per line, nested rows indented: for logs and error messages.
   *
   * @param schema a row schema
   * @return a multi-line description
   */
  public static String describe(Schema schema) {
    StringBuilder b = new StringBuilder();
    describe(schema, "  ", b);
    return b.toString();
  }

  private static void describe(Schema schema, String indent, StringBuilder b) {
    for (Field f : schema.getFields()) {
      b.append(indent).append(f.getName()).append(": ").append(typeName(f.getType()));
      if (holdsJson(f)) {
        b.append(" (JSON text)");
      }
      b.append('\n');
      FieldType t = f.getType();
      while (t.getTypeName().isCollectionType()) {
        t = t.getCollectionElementType();
      }
      if (t.getTypeName() == TypeName.ROW) {
        describe(t.getRowSchema(), indent + "  ", b);
      }
    }
  }

  static String typeName(FieldType t) {
    switch (t.getTypeName()) {
      case ARRAY:
      case ITERABLE:
        return "ARRAY<" + typeName(t.getCollectionElementType()) + ">";
      case MAP:
        return "MAP<" + typeName(t.getMapKeyType()) + ", " + typeName(t.getMapValueType()) + ">";
      case LOGICAL_TYPE:
        return t.getLogicalType().getIdentifier();
      default:
        return t.getTypeName().name();
    }
  }
}
