package io.scrapinghubio.cli.load;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.schemas.Schema.TypeName;

/**
 * The table items are loaded into, derived from their Beam schema: one column per top-level field
 * (scalars as their SQL types, nested rows, arrays and maps as {@code jsonb}), {@code _key} the
 * primary key. {@link #prepare} creates the table when missing and adds the columns a new sample
 * of items has that the table lacks; {@link #upsertStatement()} inserts a row or, for a key already
 * loaded, replaces the values of the schema's columns, so loading the same items twice leaves the
 * same table.
 */
public final class PostgresTable {
  static final String KEY_COLUMN = "_key";
  /** An optional schema name, then the table's name: plain identifiers, so no quoting surprises. */
  private static final Pattern TABLE_NAME = Pattern.compile("([a-z_][a-z0-9_]*\\.)?[a-z_][a-z0-9_]*");
  /** PostgreSQL truncates longer identifiers silently, which could merge two fields into one column. */
  private static final int MAX_IDENTIFIER_BYTES = 63;

  private final String name;
  private final Schema schema;

  public PostgresTable(String name, Schema schema) {
    checkName(name);
    if (!schema.hasField(KEY_COLUMN) || schema.getField(KEY_COLUMN).getType().getTypeName() != TypeName.STRING) {
      throw new IllegalArgumentException("the rows' schema has no STRING field " + KEY_COLUMN
          + " (the record key, the table's primary key): " + schema.getFieldNames());
    }
    for (Field f : schema.getFields()) {
      if (f.getName().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_IDENTIFIER_BYTES) {
        throw new IllegalArgumentException("field '" + f.getName() + "' is longer than PostgreSQL's "
            + MAX_IDENTIFIER_BYTES + "-byte column names; expected shorter field names");
      }
      sqlType(f); // fails on a type with no column type
    }
    this.name = name;
    this.schema = schema;
  }

  /** Refuses a name the table could not have, before anything is read. */
  public static void checkName(String name) {
    if (name == null || !TABLE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("bad table name '" + name + "': expected a lower-case identifier such as "
          + "items or etl.items (letters, digits, underscores)");
    }
  }

  public String name() {
    return name;
  }

  public Schema schema() {
    return schema;
  }

  /** The column type of a field: its SQL type, or jsonb for nested values. */
  static String sqlType(Field f) {
    Schema.FieldType t = f.getType();
    switch (t.getTypeName()) {
      case BYTE:
      case INT16:
        return "smallint";
      case INT32:
        return "integer";
      case INT64:
        return "bigint";
      case FLOAT:
        return "real";
      case DOUBLE:
        return "double precision";
      case DECIMAL:
        return "numeric";
      case BOOLEAN:
        return "boolean";
      case STRING:
        return "text";
      case DATETIME:
        return "timestamp with time zone";
      case BYTES:
        return "bytea";
      case ROW:
      case ARRAY:
      case ITERABLE:
      case MAP:
        return "jsonb";
      default:
        throw new IllegalArgumentException("field '" + f.getName() + "' has type " + t
            + ", which has no PostgreSQL column type here; expected a number, boolean, string, row, array or map");
    }
  }

  /** Whether values of {@code wanted} can be stored in an existing column of type {@code actual} without loss. */
  private static boolean accepts(String actual, String wanted) {
    if (actual.equals(wanted)) {
      return true;
    }
    switch (wanted) {
      case "smallint":
        return Set.of("integer", "bigint", "numeric", "double precision", "real").contains(actual);
      case "integer":
        return Set.of("bigint", "numeric", "double precision").contains(actual);
      case "bigint":
        return actual.equals("numeric"); // not double: beyond 2^53 it loses digits
      case "real":
        return actual.equals("double precision");
      default:
        return false;
    }
  }

  static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /**
   * Creates the table when missing; when it exists, checks its key and the types of the columns
   * it shares with the schema, and adds the schema's columns it lacks. Returns the DDL it ran.
   */
  public List<String> prepare(Connection c) throws SQLException {
    List<String> ran = new ArrayList<>();
    Map<String, String> existing = existingColumns(c);
    try (Statement st = c.createStatement()) {
      if (existing.isEmpty()) {
        List<String> cols = new ArrayList<>();
        for (Field f : schema.getFields()) {
          cols.add(quote(f.getName()) + " " + sqlType(f) + (f.getName().equals(KEY_COLUMN) ? " PRIMARY KEY" : ""));
        }
        String ddl = "CREATE TABLE IF NOT EXISTS " + name + " (" + String.join(", ", cols) + ")";
        st.execute(ddl);
        ran.add(ddl);
        return ran;
      }
      checkPrimaryKey(c);
      for (Field f : schema.getFields()) {
        String actual = existing.get(f.getName());
        String wanted = sqlType(f);
        if (actual == null) {
          String ddl = "ALTER TABLE " + name + " ADD COLUMN IF NOT EXISTS " + quote(f.getName()) + " " + wanted;
          st.execute(ddl);
          ran.add(ddl);
        } else if (!accepts(actual, wanted)) {
          throw new IllegalArgumentException("column " + quote(f.getName()) + " of table " + name + " is " + actual
              + ", but the items' field '" + f.getName() + "' is now " + f.getType().getTypeName() + " (" + wanted
              + "); expected a compatible column: change it (ALTER TABLE " + name + " ALTER COLUMN "
              + quote(f.getName()) + " TYPE " + wanted + ") or load into another table");
        }
      }
    }
    return ran;
  }

  /** Column name to type, as information_schema names types ({@code jsonb} for user-defined ones); empty when no table. */
  private Map<String, String> existingColumns(Connection c) throws SQLException {
    Map<String, String> cols = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT a.attname, format_type(a.atttypid, NULL) FROM pg_attribute a "
        + "WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          cols.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return cols;
  }

  /** An upsert needs a unique key to conflict on: a table made by someone else may not have one. */
  private void checkPrimaryKey(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
        + "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = to_regclass(?) AND i.indisunique AND i.indnatts = 1 AND a.attname = ?")) {
      ps.setString(1, name);
      ps.setString(2, KEY_COLUMN);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalArgumentException("table " + name + " exists but has no primary key or unique index on "
              + KEY_COLUMN + "; expected one, since rows are upserted by " + KEY_COLUMN);
        }
      }
    }
  }

  /**
   * {@code INSERT ... ON CONFLICT (_key) DO UPDATE SET col = EXCLUDED.col, ...}: one parameter per
   * schema field in schema order, jsonb ones cast from text.
   */
  public String upsertStatement() {
    List<String> cols = new ArrayList<>();
    List<String> params = new ArrayList<>();
    List<String> updates = new ArrayList<>();
    for (Field f : schema.getFields()) {
      String col = quote(f.getName());
      cols.add(col);
      params.add(sqlType(f).equals("jsonb") ? "?::jsonb" : "?");
      if (!f.getName().equals(KEY_COLUMN)) {
        updates.add(col + " = EXCLUDED." + col);
      }
    }
    return "INSERT INTO " + name + " (" + String.join(", ", cols) + ") VALUES (" + String.join(", ", params)
        + ") ON CONFLICT (" + quote(KEY_COLUMN) + ") DO "
        + (updates.isEmpty() ? "NOTHING" : "UPDATE SET " + String.join(", ", updates));
  }
}
