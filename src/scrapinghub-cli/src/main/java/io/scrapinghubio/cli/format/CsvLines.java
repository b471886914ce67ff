package io.scrapinghubio.cli.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.scrapinghubio.beam.rows.RowSchemas;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.values.Row;

/**
 * CSV of rows of an inferred schema ({@code ScrapinghubRead.asRows()}, see {@link RowSchemas}), as
 * RFC 4180 has it: a header row of the items' field names, one row per record, fields separated by
 * commas, rows ended by CRLF, a field quoted (its quotes doubled) when it holds a comma, a quote, CR
 * or LF.
 *
 * <ul>
 *   <li>A null (or missing) value is an empty field; an empty string is {@code ""}, so that the two
 *       stay apart.
 *   <li>Numbers and booleans as JSON writes them ({@code 12}, {@code 9.5}, {@code true}).
 *   <li>Nested values (rows, arrays) as their JSON text, e.g. {@code "{""w"":3}"}; a field of mixed
 *       types ({@link RowSchemas#holdsJson}) as the JSON text it holds.
 * </ul>
 */
public final class CsvLines implements RecordLines<Row>, RowRecords {
  private static final long serialVersionUID = 1L;
  private static final String CRLF = "\r\n";

  private final Schema schema;
  private transient JsonFactory json;
  private transient StringBuilder line;

  public CsvLines(Schema schema) {
    if (!schema.hasField(RowSchemas.KEY_FIELD)) {
      throw new IllegalArgumentException("CSV rows are written from an inferred schema, which starts with "
          + RowSchemas.KEY_FIELD + ": " + schema.getFieldNames());
    }
    this.schema = schema;
  }

  @Override
  public byte[] header() {
    StringBuilder b = new StringBuilder();
    for (Field f : schema.getFields()) {
      if (b.length() > 0) {
        b.append(',');
      }
      appendText(RowSchemas.itemFieldName(f), b);
    }
    return b.append(CRLF).toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public int write(Row row, OutputStream out) throws IOException {
    if (line == null) {
      line = new StringBuilder(256);
      json = new JsonFactory();
    }
    line.setLength(0);
    for (int i = 0; i < schema.getFieldCount(); i++) {
      if (i > 0) {
        line.append(',');
      }
      appendCell(schema.getField(i), row.getValue(i), line);
    }
    line.append(CRLF);
    byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
    out.write(bytes);
    return bytes.length;
  }

  @Override
  public String suffix() {
    return ".csv";
  }

  private void appendCell(Field field, Object value, StringBuilder b) throws IOException {
    if (value == null) {
      return;
    }
    switch (field.getType().getTypeName()) {
      case STRING:
        // JSON text (a field of mixed types) is written as it is held, like any text
        appendText((String) value, b);
        break;
      case ROW:
      case ARRAY:
      case ITERABLE:
        appendText(jsonText(field.getType(), value), b);
        break;
      default:
        b.append(value); // INT64, DOUBLE, BOOLEAN: never need quotes
    }
  }

  /** A text field, quoted when it holds what would end it (or is empty, which a null is not). */
  private static void appendText(String s, StringBuilder b) {
    boolean quote = s.isEmpty();
    for (int i = 0; i < s.length() && !quote; i++) {
      char c = s.charAt(i);
      quote = c == ',' || c == '"' || c == '\r' || c == '\n';
    }
    if (!quote) {
      b.append(s);
      return;
    }
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        b.append('"');
      }
      b.append(c);
    }
    b.append('"');
  }

  private String jsonText(FieldType type, Object value) throws IOException {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = json.createGenerator(w)) {
      writeJson(type, false, value, g);
    }
    return w.toString();
  }

  /** {@code value} of {@code type} as JSON, nested rows as objects named as in the items. */
  private static void writeJson(FieldType type, boolean holdsJson, Object value, JsonGenerator g) throws IOException {
    if (value == null) {
      g.writeNull();
      return;
    }
    switch (type.getTypeName()) {
      case STRING:
        if (holdsJson) {
          g.writeRawValue((String) value);
        } else {
          g.writeString((String) value);
        }
        break;
      case INT64:
        g.writeNumber((Long) value);
        break;
      case DOUBLE:
        g.writeNumber((Double) value);
        break;
      case BOOLEAN:
        g.writeBoolean((Boolean) value);
        break;
      case ROW:
        Row row = (Row) value;
        g.writeStartObject();
        for (int i = 0; i < row.getFieldCount(); i++) {
          Field f = row.getSchema().getField(i);
          g.writeFieldName(RowSchemas.itemFieldName(f));
          writeJson(f.getType(), RowSchemas.holdsJson(f), row.getValue(i), g);
        }
        g.writeEndObject();
        break;
      case ARRAY:
      case ITERABLE:
        g.writeStartArray();
        for (Object e : (Iterable<?>) value) {
          writeJson(type.getCollectionElementType(), false, e, g);
        }
        g.writeEndArray();
        break;
      default:
        throw new IllegalArgumentException("an inferred schema has no " + type.getTypeName() + " field");
    }
  }

  /** The columns, as the header names them. */
  public Schema schema() {
    return schema;
  }
}
