package io.scrapinghubio.beam.rows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.schemas.Schema.FieldType;

/**
 * The union of the fields of sampled records as a Beam schema, with the rules of
 * {@link RowSchemas}: each field's values are folded into one {@link Shape} (null, boolean,
 * integer, float, string, object with its own fields, array of one shape), widening integer to
 * float and falling back to JSON text when two shapes cannot meet.
 */
final class SchemaInference {
  private final Shape root = Shape.object();
  private long records;

  /** Adds one record (a JSON object; anything else is ignored and not counted). */
  void add(JsonNode record) {
    if (record != null && record.isObject()) {
      root.mergeFields(record, 1);
      records++;
    }
  }

  long records() {
    return records;
  }

  /**
   * {@code _key}, {@code _job}, then the sampled fields sorted by name, all nullable; with
   * {@code sqlSafeNames}, names Beam SQL cannot take renamed (see {@link RowSchemas#sqlSafeName}).
   */
  Schema schema(boolean sqlSafeNames) {
    List<Field> fields = new ArrayList<>();
    fields.add(Field.nullable(RowSchemas.KEY_FIELD, FieldType.STRING));
    fields.add(Field.nullable(RowSchemas.JOB_FIELD, FieldType.STRING));
    TreeMap<String, Shape> rest = new TreeMap<>(root.fields);
    rest.remove(RowSchemas.KEY_FIELD);
    rest.remove(RowSchemas.JOB_FIELD);
    fields.addAll(Shape.fields(rest, sqlSafeNames, new java.util.HashSet<>(List.of(RowSchemas.KEY_FIELD, RowSchemas.JOB_FIELD))));
    return Schema.builder().addFields(fields).build();
  }

  /** What the values of one field (or array element) looked like so far. */
  private static final class Shape {
    enum Kind { NULL, BOOLEAN, INT64, DOUBLE, STRING, ROW, ARRAY, JSON }

    Kind kind;
    /** ROW: fields by name, sorted. */
    final TreeMap<String, Shape> fields = new TreeMap<>();
    /** ARRAY: the shape of every element seen (NULL while only empty arrays were seen). */
    Shape element;

    private Shape(Kind kind) {
      this.kind = kind;
    }

    static Shape object() {
      return new Shape(Kind.ROW);
    }

    static Shape of(JsonNode v, int depth) {
      Shape s = new Shape(Kind.NULL);
      s.merge(v, depth);
      return s;
    }

    /** Folds one more value of this field, {@code depth} objects deep, into the shape. */
    void merge(JsonNode v, int depth) {
      if (kind == Kind.JSON || v == null || v.isNull() || v.isMissingNode()) {
        return;
      }
      Kind k = kindOf(v, depth);
      if (kind == Kind.NULL) {
        kind = k;
        if (k == Kind.ARRAY) {
          element = new Shape(Kind.NULL);
        }
      } else if (kind != k) {
        kind = (numeric(kind) && numeric(k)) ? Kind.DOUBLE : Kind.JSON;
      }
      if (kind == Kind.ROW) {
        mergeFields(v, depth + 1);
      } else if (kind == Kind.ARRAY) {
        for (JsonNode e : v) {
          element.merge(e, depth);
        }
        if (element.kind == Kind.JSON) {
          kind = Kind.JSON; // elements of incompatible types: the whole array as JSON text
        }
      }
      if (kind == Kind.JSON) {
        fields.clear();
        element = null;
      }
    }

    void mergeFields(JsonNode object, int depth) {
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().isEmpty()) {
          continue; // no SQL or column can name it (see RowSchemas)
        }
        Shape s = fields.get(e.getKey());
        if (s == null) {
          fields.put(e.getKey(), of(e.getValue(), depth));
        } else {
          s.merge(e.getValue(), depth);
        }
      }
    }

    private static Kind kindOf(JsonNode v, int depth) {
      if (v.isBoolean()) {
        return Kind.BOOLEAN;
      }
      if (v.isIntegralNumber()) {
        return v.canConvertToLong() ? Kind.INT64 : Kind.DOUBLE; // beyond 64 bits: widened to float
      }
      if (v.isNumber()) {
        return Kind.DOUBLE;
      }
      if (v.isTextual()) {
        return Kind.STRING;
      }
      if (v.isObject()) {
        return depth >= RowSchemas.MAX_ROW_DEPTH ? Kind.JSON : Kind.ROW;
      }
      if (v.isArray()) {
        return Kind.ARRAY;
      }
      return Kind.JSON; // binary or POJO nodes: not produced by parsing JSON text
    }

    private static boolean numeric(Kind k) {
      return k == Kind.INT64 || k == Kind.DOUBLE;
    }

    /** The fields of an object, named as the items name them or made SQL-safe (unique among {@code taken}). */
    static List<Field> fields(TreeMap<String, Shape> shapes, boolean sqlSafe, java.util.Set<String> taken) {
      List<Field> out = new ArrayList<>();
      if (sqlSafe) {
        shapes.keySet().stream().filter(RowSchemas::isSqlSafe).forEach(taken::add); // names kept win over renamed ones
      }
      for (Map.Entry<String, Shape> e : shapes.entrySet()) {
        String name = e.getKey();
        Field f = e.getValue().field(name, sqlSafe);
        if (sqlSafe && !RowSchemas.isSqlSafe(name)) {
          String base = RowSchemas.sqlSafeName(name);
          String safe = base;
          for (int n = 2; taken.contains(safe); n++) {
            safe = base + "_" + n;
          }
          taken.add(safe);
          f = f.withName(safe).withOptions(Schema.Options.builder().setOption(RowSchemas.NAME_OPTION, FieldType.STRING, name));
        }
        out.add(f);
      }
      return out;
    }

    Field field(String name, boolean sqlSafe) {
      if (kind == Kind.JSON || emptyRow()) {
        return RowSchemas.jsonField(name);
      }
      return Field.nullable(name, type(sqlSafe));
    }

    /** Objects seen only empty (or arrays of them): a row type needs a field, so these are JSON text. */
    private boolean emptyRow() {
      return (kind == Kind.ROW && fields.isEmpty()) || (kind == Kind.ARRAY && element.emptyRow());
    }

    /** The Beam type of a non-JSON shape (nullability is set by the caller). */
    FieldType type(boolean sqlSafe) {
      switch (kind) {
        case NULL:
        case STRING:
          return FieldType.STRING;
        case BOOLEAN:
          return FieldType.BOOLEAN;
        case INT64:
          return FieldType.INT64;
        case DOUBLE:
          return FieldType.DOUBLE;
        case ARRAY:
          return FieldType.array(element.type(sqlSafe).withNullable(true));
        case ROW:
          return FieldType.row(Schema.builder().addFields(fields(fields, sqlSafe, new java.util.HashSet<>())).build());
        default:
          throw new IllegalStateException("JSON shapes are fields of their own: " + kind);
      }
    }
  }
}
