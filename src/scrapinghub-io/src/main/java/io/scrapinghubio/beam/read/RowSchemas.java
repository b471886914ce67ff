package io.scrapinghubio.beam.read;

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
 *   <li>Names are kept as they are, Unicode included. Beam SQL reaches a name that is not a plain
 *       identifier with backquotes ({@code SELECT `prix €` FROM PCOLLECTION}). An item's own
 *       {@value #KEY_FIELD} or {@value #JOB_FIELD} field is replaced by the record's lineage, and an
 *       empty name (which SQL cannot name) is left out of the schema.
 * </ul>
 */
public final class RowSchemas {
  /** The record's key {@code P/S/J/N}. */
  public static final String KEY_FIELD = "_key";
  /** The key {@code P/S/J} of the job the record belongs to. */
  public static final String JOB_FIELD = "_job";
  /** Field option (boolean {@code true}) on STRING fields that hold a value's JSON text. */
  public static final String JSON_OPTION = "scrapinghubio_json";
  /** Objects nested deeper than this become JSON text. */
  public static final int MAX_ROW_DEPTH = 16;

  private RowSchemas() {}

  /** Whether {@code field} holds JSON text (a value of mixed or too deeply nested type). */
  public static boolean holdsJson(Field field) {
    return field.getType().getTypeName() == TypeName.STRING
        && field.getOptions().hasOption(JSON_OPTION)
        && Boolean.TRUE.equals(field.getOptions().getValue(JSON_OPTION));
  }

  /** A nullable STRING field marked as holding JSON text. */
  static Field jsonField(String name) {
    return Field.nullable(name, FieldType.STRING)
        .withOptions(Schema.Options.builder().setOption(JSON_OPTION, FieldType.BOOLEAN, true));
  }

  /** One field per line, nested rows indented: for logs and error messages. */
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
