package io.scrapinghubio.cli.format;

import io.scrapinghubio.beam.rows.RowSchemas;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.JsonProperties;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.values.Row;

/**
 * Rows of an inferred schema ({@link RowSchemas}) as Avro records, what Parquet's Avro writer
 * takes. Every field is a union of null and its type; a nested row is a nested record and an array
 * an Avro array (of nullable elements), so that a Parquet reader sees real columns; a field of
 * mixed types ({@link RowSchemas#holdsJson}) stays the JSON text it holds, as in CSV.
 *
 * <p>Avro (and the Avro schema Parquet keeps in each file) takes only {@code [A-Za-z_][A-Za-z0-9_]*}
 * names, while an item's field may be named anything ({@code prix €}, {@code 2nd}): such a field is
 * renamed as Beam SQL would ({@link RowSchemas#sqlSafeName}), {@code $} made {@code _} and a leading
 * digit prefixed with {@code _}, a suffix {@code _2}, {@code _3}... on a clash, and its name in the
 * items is kept in the field's property {@value #NAME_PROPERTY}.
 */
public final class AvroRows implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Avro field property holding the item field's name when the Avro field was renamed. */
  public static final String NAME_PROPERTY = RowSchemas.NAME_OPTION;
  /** Avro field property ({@code true}) on a string field that holds JSON text. */
  public static final String JSON_PROPERTY = RowSchemas.JSON_OPTION;
  /** The namespace of the records, so that a reader's generated classes do not clash with others. */
  private static final String NAMESPACE = "io.scrapinghubio.export";

  private final org.apache.beam.sdk.schemas.Schema schema;
  /** Avro's Schema is serializable only from 1.9 on, and its JSON is stable: kept as text. */
  private final String avroJson;
  private transient org.apache.avro.Schema avro;

  /** @param schema an inferred schema, as {@code read().inferSchema()} gives it */
  public AvroRows(org.apache.beam.sdk.schemas.Schema schema) {
    this.schema = schema;
    this.avro = recordSchema("Record", schema, new int[] {0});
    this.avroJson = avro.toString();
  }

  /** The Avro schema of the records. */
  public org.apache.avro.Schema avroSchema() {
    if (avro == null) {
      avro = new org.apache.avro.Schema.Parser().parse(avroJson);
    }
    return avro;
  }

  /** The Beam schema the rows have. */
  public org.apache.beam.sdk.schemas.Schema beamSchema() {
    return schema;
  }

  /** {@code row}, of the schema given, as an Avro record of {@link #avroSchema()}. */
  public GenericRecord toAvro(Row row) {
    return record(avroSchema(), row);
  }

  private static GenericRecord record(org.apache.avro.Schema avro, Row row) {
    GenericData.Record r = new GenericData.Record(avro);
    // Fields by position: the Avro record has the row's fields in the same order.
    for (int i = 0; i < row.getFieldCount(); i++) {
      Object v = row.getValue(i);
      r.put(i, v == null ? null : value(nonNull(avro.getFields().get(i).schema()), row.getSchema().getField(i).getType(), v));
    }
    return r;
  }

  private static Object value(org.apache.avro.Schema avro, FieldType type, Object v) {
    switch (type.getTypeName()) {
      case STRING:
      case INT64:
      case DOUBLE:
      case BOOLEAN:
        return v; // String, Long, Double, Boolean are what Avro's generic data takes for these
      case ROW:
        return record(avro, (Row) v);
      case ARRAY:
      case ITERABLE:
        org.apache.avro.Schema elementAvro = nonNull(avro.getElementType());
        FieldType elementType = type.getCollectionElementType();
        List<Object> elements = new ArrayList<>();
        for (Object e : (Iterable<?>) v) {
          elements.add(e == null ? null : value(elementAvro, elementType, e));
        }
        return elements;
      default:
        throw new IllegalArgumentException("an inferred schema has no " + type.getTypeName() + " field");
    }
  }

  /** The schema of a nullable union's non-null branch. */
  private static org.apache.avro.Schema nonNull(org.apache.avro.Schema union) {
    return union.getTypes().get(1);
  }

  /** {@code beam} as an Avro record named {@code name}; {@code count} numbers the nested records (Avro names must be unique). */
  private static org.apache.avro.Schema recordSchema(String name, org.apache.beam.sdk.schemas.Schema beam, int[] count) {
    List<org.apache.avro.Schema.Field> fields = new ArrayList<>();
    Set<String> taken = new HashSet<>();
    for (Field f : beam.getFields()) {
      String itemName = RowSchemas.itemFieldName(f);
      String avroName = unique(avroName(itemName), taken);
      org.apache.avro.Schema.Field af = new org.apache.avro.Schema.Field(avroName,
          nullable(type(avroName, f.getType(), count)), null, JsonProperties.NULL_VALUE);
      if (!avroName.equals(itemName)) {
        af.addProp(NAME_PROPERTY, itemName);
      }
      if (RowSchemas.holdsJson(f)) {
        af.addProp(JSON_PROPERTY, true);
      }
      fields.add(af);
    }
    return org.apache.avro.Schema.createRecord(name, null, NAMESPACE, false, fields);
  }

  private static org.apache.avro.Schema type(String fieldName, FieldType type, int[] count) {
    switch (type.getTypeName()) {
      case STRING:
        return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.STRING);
      case INT64:
        return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.LONG);
      case DOUBLE:
        return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.DOUBLE);
      case BOOLEAN:
        return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BOOLEAN);
      case ROW:
        return recordSchema("Record" + (++count[0]) + "_" + fieldName, type.getRowSchema(), count);
      case ARRAY:
      case ITERABLE:
        return org.apache.avro.Schema.createArray(nullable(type(fieldName, type.getCollectionElementType(), count)));
      default:
        throw new IllegalArgumentException("an inferred schema has no " + type.getTypeName() + " field");
    }
  }

  private static org.apache.avro.Schema nullable(org.apache.avro.Schema s) {
    return org.apache.avro.Schema.createUnion(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.NULL), s);
  }

  /** {@code itemName} as Avro takes a name. */
  static String avroName(String itemName) {
    String safe = RowSchemas.sqlSafeName(itemName).replace('$', '_');
    return Character.isDigit(safe.charAt(0)) ? "_" + safe : safe;
  }

  private static String unique(String name, Set<String> taken) {
    String n = name;
    for (int i = 2; !taken.add(n); i++) {
      n = name + "_" + i;
    }
    return n;
  }
}
