package io.scrapinghubio.beam.rows;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.util.BufferRecycler;
import io.scrapinghubio.client.read.JobRecord;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.Schema.TypeName;
import org.apache.beam.sdk.values.Row;

/**
 * Converts a record's JSON bytes straight into a {@link Row} in one streaming pass (no JSON tree),
 * strictly: a value that does not fit its field is a {@link RecordConversionException} naming the
 * field, the type expected and what was found, never a silent null or a coerced value.
 *
 * <ul>
 *   <li>STRING takes strings; INT64 integers within 64 bits; DOUBLE any number; BOOLEAN
 *       {@code true}/{@code false}; ROW an object (converted by its own schema); ARRAY/ITERABLE an
 *       array, element by element. A STRING field marked {@link RowSchemas#holdsJson} takes any
 *       value, as its JSON text.
 *   <li>{@code null} or a missing field is null; for a non-nullable field it is an error.
 *   <li>Fields the schema does not name are skipped. At the top level, STRING fields
 *       {@code _key} and {@code _job} get the record's key and its job's key (the item's own values
 *       of these names are ignored).
 * </ul>
 *
 * Handles schemas of those types only ({@link #supports}); other schemas go through Beam's RowJson.
 */
final class JsonRowConverter implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Set<TypeName> SCALARS = Set.of(TypeName.STRING, TypeName.INT64, TypeName.DOUBLE, TypeName.BOOLEAN);
  /** Characters of a bad string value quoted in a message, at most. */
  private static final int SHOWN_CHARS = 40;

  private final Schema schema;
  private transient Plan plan;
  private transient JsonFactory json;

  JsonRowConverter(Schema schema) {
    this.schema = schema;
  }

  /** Whether every field of {@code schema} (and of its nested rows and arrays) has a type this converter handles. */
  static boolean supports(Schema schema) {
    for (Field f : schema.getFields()) {
      if (!supports(f.getType())) {
        return false;
      }
    }
    for (String lineage : List.of(RowSchemas.KEY_FIELD, RowSchemas.JOB_FIELD)) {
      if (schema.hasField(lineage) && schema.getField(lineage).getType().getTypeName() != TypeName.STRING) {
        return false;
      }
    }
    return true;
  }

  private static boolean supports(FieldType t) {
    TypeName n = t.getTypeName();
    if (SCALARS.contains(n)) {
      return true;
    }
    if (n == TypeName.ROW) {
      return supports(t.getRowSchema());
    }
    if (n == TypeName.ARRAY || n == TypeName.ITERABLE) {
      return supports(t.getCollectionElementType());
    }
    return false;
  }

  Row convert(JobRecord record, String jobKey) throws IOException, RecordConversionException {
    if (plan == null) {
      plan = new Plan(schema, true);
      json = new JsonFactory();
    }
    try (JsonParser p = json.createParser(record.jsonBytes())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new RecordConversionException("", "the record is not a JSON object but " + found(p, p.currentToken()));
      }
      Object[] values = readFields(p, plan);
      if (plan.keyIndex >= 0) {
        values[plan.keyIndex] = record.key();
      }
      if (plan.jobIndex >= 0) {
        values[plan.jobIndex] = jobKey;
      }
      plan.checkRequired(values);
      return Row.withSchema(schema).attachValues(Arrays.asList(values));
    }
  }

  /** The fields of the object whose START_OBJECT the parser is on, by {@code plan}'s schema. */
  private Object[] readFields(JsonParser p, Plan plan) throws IOException, RecordConversionException {
    Object[] values = new Object[plan.types.length];
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      Integer i = plan.index.get(name);
      if (i == null) {
        p.skipChildren();
        continue;
      }
      try {
        values[i] = readValue(p, t, plan, i);
      } catch (RecordConversionException e) {
        throw e.within(name);
      }
    }
    return values;
  }

  private Object readValue(JsonParser p, JsonToken t, Plan plan, int i) throws IOException, RecordConversionException {
    if (plan.holdsJson[i]) {
      return t == JsonToken.VALUE_NULL ? null : jsonText(p);
    }
    return readTyped(p, t, plan.types[i], plan.nested[i]);
  }

  private Object readTyped(JsonParser p, JsonToken t, FieldType type, Plan nested) throws IOException, RecordConversionException {
    if (t == JsonToken.VALUE_NULL) {
      return null; // non-nullable fields are checked by the caller, which knows the field
    }
    switch (type.getTypeName()) {
      case STRING:
        if (t == JsonToken.VALUE_STRING) {
          return p.getText();
        }
        break;
      case INT64:
        if (t == JsonToken.VALUE_NUMBER_INT) {
          if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new RecordConversionException("", "expected INT64, found integer " + p.getText() + " beyond 64 bits");
          }
          return p.getLongValue();
        }
        break;
      case DOUBLE:
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
          return p.getDoubleValue();
        }
        break;
      case BOOLEAN:
        if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
          return t == JsonToken.VALUE_TRUE;
        }
        break;
      case ROW:
        if (t == JsonToken.START_OBJECT) {
          Object[] values = readFields(p, nested);
          nested.checkRequired(values);
          return Row.withSchema(nested.schema).attachValues(Arrays.asList(values));
        }
        break;
      case ARRAY:
      case ITERABLE:
        if (t == JsonToken.START_ARRAY) {
          return readArray(p, type.getCollectionElementType(), nested);
        }
        break;
      default:
        throw new IllegalStateException("unsupported type " + type + " (supports() lets it through)");
    }
    throw new RecordConversionException("", "expected " + RowSchemas.typeName(type) + ", found " + found(p, t));
  }

  private List<Object> readArray(JsonParser p, FieldType element, Plan nested) throws IOException, RecordConversionException {
    List<Object> out = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      Object v;
      try {
        v = readTyped(p, t, element, nested);
        if (v == null && !element.getNullable()) {
          throw new RecordConversionException("", "expected " + RowSchemas.typeName(element) + ", found null in an array of non-null elements");
        }
      } catch (RecordConversionException e) {
        throw e.within("[" + out.size() + "]");
      }
      out.add(v);
    }
    return out;
  }

  /** The JSON text of the value the parser is on (a scalar, or a whole object or array). */
  private String jsonText(JsonParser p) throws IOException {
    SegmentedStringWriter w = new SegmentedStringWriter(new BufferRecycler());
    try (JsonGenerator g = json.createGenerator(w)) {
      g.copyCurrentStructure(p);
    }
    return w.getAndClear();
  }

  /** What the record holds, for a message: {@code string "abc"}, {@code integer 12}, {@code object}... */
  private static String found(JsonParser p, JsonToken t) throws IOException {
    if (t == null) {
      return "nothing";
    }
    switch (t) {
      case VALUE_STRING:
        String s = p.getText();
        return "string \"" + (s.length() > SHOWN_CHARS ? s.substring(0, SHOWN_CHARS) + "...\" (" + s.length() + " chars)" : s + "\"");
      case VALUE_NUMBER_INT:
        return "integer " + p.getText();
      case VALUE_NUMBER_FLOAT:
        return "float " + p.getText();
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "boolean " + p.getText();
      case START_OBJECT:
        return "an object";
      case START_ARRAY:
        return "an array";
      default:
        return t.asString() == null ? t.name() : t.asString();
    }
  }

  /** A schema prepared for conversion: field positions by name, types, nested plans. */
  private static final class Plan {
    final Schema schema;
    final Map<String, Integer> index = new HashMap<>();
    final FieldType[] types;
    final boolean[] holdsJson;
    final Plan[] nested;
    final int[] required;
    final int keyIndex;
    final int jobIndex;

    Plan(Schema schema, boolean top) {
      this.schema = schema;
      int n = schema.getFieldCount();
      types = new FieldType[n];
      holdsJson = new boolean[n];
      nested = new Plan[n];
      List<Integer> req = new ArrayList<>();
      keyIndex = top && schema.hasField(RowSchemas.KEY_FIELD) ? schema.indexOf(RowSchemas.KEY_FIELD) : -1;
      jobIndex = top && schema.hasField(RowSchemas.JOB_FIELD) ? schema.indexOf(RowSchemas.JOB_FIELD) : -1;
      for (int i = 0; i < n; i++) {
        Field f = schema.getField(i);
        types[i] = f.getType();
        holdsJson[i] = RowSchemas.holdsJson(f);
        FieldType inner = f.getType();
        while (inner.getTypeName().isCollectionType()) {
          inner = inner.getCollectionElementType();
        }
        if (inner.getTypeName() == TypeName.ROW) {
          nested[i] = new Plan(inner.getRowSchema(), false);
        }
        if (i != keyIndex && i != jobIndex) {
          index.put(RowSchemas.itemFieldName(f), i); // the lineage fields are filled from the record, not its JSON
          if (!f.getType().getNullable()) {
            req.add(i);
          }
        }
      }
      required = req.stream().mapToInt(Integer::intValue).toArray();
    }

    void checkRequired(Object[] values) throws RecordConversionException {
      for (int i : required) {
        if (values[i] == null) {
          throw new RecordConversionException(schema.getField(i).getName(),
              "expected " + RowSchemas.typeName(types[i]) + " (not nullable), found null or no such field");
        }
      }
    }
  }
}
