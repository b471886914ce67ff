package io.scrapinghubio.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.values.Row;
import org.joda.time.ReadableInstant;

/**
 * Binds a row to {@link PostgresTable#upsertStatement()}: each field in schema order, scalars as
 * their JDBC types, nested rows, arrays and maps as JSON text (the statement casts it to jsonb),
 * nulls as typed SQL nulls.
 */
final class RowUpsertSetter implements JdbcIO.PreparedStatementSetter<Row> {
  private static final long serialVersionUID = 1L;
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Schema schema;

  RowUpsertSetter(Schema schema) {
    this.schema = schema;
  }

  @Override
  public void setParameters(Row row, PreparedStatement ps) throws SQLException {
    List<Field> fields = schema.getFields();
    for (int i = 0; i < fields.size(); i++) {
      Field f = fields.get(i);
      Object v = row.getValue(i);
      int p = i + 1;
      switch (f.getType().getTypeName()) {
        case BYTE:
        case INT16:
          setOrNull(ps, p, v == null ? null : ((Number) v).shortValue(), Types.SMALLINT);
          break;
        case INT32:
          setOrNull(ps, p, v, Types.INTEGER);
          break;
        case INT64:
          setOrNull(ps, p, v, Types.BIGINT);
          break;
        case FLOAT:
          setOrNull(ps, p, v, Types.REAL);
          break;
        case DOUBLE:
          setOrNull(ps, p, v, Types.DOUBLE);
          break;
        case DECIMAL:
          setOrNull(ps, p, v, Types.NUMERIC);
          break;
        case BOOLEAN:
          setOrNull(ps, p, v, Types.BOOLEAN);
          break;
        case STRING:
          setOrNull(ps, p, v, Types.VARCHAR);
          break;
        case DATETIME:
          setOrNull(ps, p, v == null ? null : new Timestamp(((ReadableInstant) v).getMillis()), Types.TIMESTAMP_WITH_TIMEZONE);
          break;
        case BYTES:
          setOrNull(ps, p, v, Types.BINARY);
          break;
        default: // ROW, ARRAY, ITERABLE, MAP: PostgresTable made them jsonb
          setOrNull(ps, p, v == null ? null : json(v), Types.VARCHAR);
      }
    }
  }

  private static void setOrNull(PreparedStatement ps, int p, Object v, int sqlType) throws SQLException {
    if (v == null) {
      ps.setNull(p, sqlType);
    } else {
      ps.setObject(p, v, sqlType);
    }
  }

  /** A nested value as JSON text: rows as objects (null fields kept), collections as arrays. */
  static String json(Object v) {
    try {
      return MAPPER.writeValueAsString(toJson(v));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write a nested value as JSON: " + e.getMessage(), e);
    }
  }

  private static JsonNode toJson(Object v) {
    if (v == null) {
      return JSON.nullNode();
    }
    if (v instanceof Row r) {
      ObjectNode o = JSON.objectNode();
      for (int i = 0; i < r.getFieldCount(); i++) {
        o.set(r.getSchema().getField(i).getName(), toJson(r.getValue(i)));
      }
      return o;
    }
    if (v instanceof Map<?, ?> m) {
      ObjectNode o = JSON.objectNode();
      m.forEach((k, x) -> o.set(String.valueOf(k), toJson(x)));
      return o;
    }
    if (v instanceof Iterable<?> it) {
      ArrayNode a = JSON.arrayNode();
      it.forEach(x -> a.add(toJson(x)));
      return a;
    }
    if (v instanceof String s) {
      return JSON.textNode(s);
    }
    if (v instanceof Boolean b) {
      return JSON.booleanNode(b);
    }
    if (v instanceof Long l) {
      return JSON.numberNode(l);
    }
    if (v instanceof Integer n) {
      return JSON.numberNode(n);
    }
    if (v instanceof Short n) {
      return JSON.numberNode(n);
    }
    if (v instanceof Byte n) {
      return JSON.numberNode(n);
    }
    if (v instanceof Double d) {
      return JSON.numberNode(d);
    }
    if (v instanceof Float d) {
      return JSON.numberNode(d);
    }
    if (v instanceof BigDecimal d) {
      return JSON.numberNode(d);
    }
    if (v instanceof ReadableInstant t) {
      return JSON.textNode(t.toString());
    }
    if (v instanceof byte[] b) {
      return JSON.binaryNode(b);
    }
    return JSON.textNode(String.valueOf(v));
  }
}
