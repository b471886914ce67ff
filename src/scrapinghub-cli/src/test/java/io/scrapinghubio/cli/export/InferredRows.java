package io.scrapinghubio.cli.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scrapinghubio.beam.rows.RowSchemas;
import io.scrapinghubio.emulator.ScrapyCloudEmulator;
import io.scrapinghubio.emulator.store.JobState;
import io.scrapinghubio.emulator.store.RecordLog;
import io.scrapinghubio.emulator.store.RecordType;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.schemas.Schema.FieldType;

/**
 * Records as the values of an inferred schema's columns (by record key), to compare an export in
 * another format with the service's records row by row: Long, Double, Boolean, String, a list for
 * an array or a nested row, and the parsed JSON tree for a field of JSON text.
 */
public final class InferredRows {
  private static final ObjectMapper JSON = new ObjectMapper();

  private InferredRows() {}

  /** Every record of {@code type} of every finished job of {@code project}, as the schema's values. */
  public static Map<String, List<Object>> stored(ScrapyCloudEmulator emulator, long project, RecordType type, Schema schema)
      throws IOException {
    return stored(emulator, emulator.state().project(project).jobs().stream()
        .filter(j -> "finished".equals(j.state())).map(JobState::key).toList(), type, schema);
  }

  /** Every record of {@code type} of these jobs, as the schema's values. */
  public static Map<String, List<Object>> stored(ScrapyCloudEmulator emulator, List<String> jobs, RecordType type,
      Schema schema) throws IOException {
    Map<String, List<Object>> rows = new TreeMap<>();
    for (String job : jobs) {
      RecordLog.View v = emulator.state().records(job, type).view();
      for (int i = 0; i < v.size(); i++) {
        JsonNode record = JSON.readTree(v.copy(i));
        String key = job + "/" + i;
        List<Object> row = new ArrayList<>();
        for (Field f : schema.getFields()) {
          row.add(f.getName().equals(RowSchemas.KEY_FIELD) ? key
              : f.getName().equals(RowSchemas.JOB_FIELD) ? job
              : value(f, record.get(RowSchemas.itemFieldName(f))));
        }
        rows.put(key, row);
      }
    }
    return rows;
  }

  /**
   * Every JSON line of the files of an export's directory (plain or gzip), as the schema's values,
   * the lineage columns ({@code _key}, {@code _job}), which JSON lines lack, null: a multiset (each
   * row with how often it occurs), for an export of the same items in another format to equal.
   */
  public static Map<List<Object>, Long> itemsFromJsonLinesFiles(Path out, Schema schema) throws IOException {
    Map<List<Object>, Long> rows = new java.util.HashMap<>();
    try (var files = Files.list(out)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (!name.contains(".jl")) {
          continue;
        }
        try (var lines = new java.io.BufferedReader(new InputStreamReader(name.endsWith(".gz")
            ? new GZIPInputStream(Files.newInputStream(f)) : Files.newInputStream(f), StandardCharsets.UTF_8))) {
          for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            JsonNode record = JSON.readTree(line);
            List<Object> row = new ArrayList<>();
            for (Field field : schema.getFields()) {
              row.add(isLineage(field) ? null : value(field, record.get(RowSchemas.itemFieldName(field))));
            }
            rows.merge(row, 1L, Long::sum);
          }
        }
      }
    }
    return rows;
  }

  /** {@code rows} without their lineage columns' values (made null), as a multiset. */
  public static Map<List<Object>, Long> itemsOnly(Map<String, List<Object>> rows, Schema schema) {
    Map<List<Object>, Long> out = new java.util.HashMap<>();
    for (List<Object> row : rows.values()) {
      List<Object> items = new ArrayList<>(row);
      for (int i = 0; i < schema.getFieldCount(); i++) {
        if (isLineage(schema.getField(i))) {
          items.set(i, null);
        }
      }
      out.merge(items, 1L, Long::sum);
    }
    return out;
  }

  private static boolean isLineage(Field f) {
    return f.getName().equals(RowSchemas.KEY_FIELD) || f.getName().equals(RowSchemas.JOB_FIELD);
  }

  /**
   * The rows of CSV text (a header row, then rows) as the schema's values, checking that the
   * header names the schema's columns.
   */
  public static Map<String, List<Object>> fromCsv(Reader csv, Schema schema) throws IOException {
    // commons-csv 1.8 reads an empty field and "" alike: both null here (see withEmptyTextAsNull).
    CSVFormat format = CSVFormat.RFC4180.withFirstRecordAsHeader().withNullString("");
    Map<String, List<Object>> rows = new TreeMap<>();
    try (CSVParser parser = format.parse(csv)) {
      List<String> header = parser.getHeaderNames();
      List<String> columns = schema.getFields().stream().map(RowSchemas::itemFieldName).toList();
      if (!header.equals(columns)) {
        throw new AssertionError("header " + header + " is not the schema's " + columns);
      }
      for (CSVRecord r : parser) {
        List<Object> row = new ArrayList<>();
        for (int i = 0; i < schema.getFieldCount(); i++) {
          row.add(cell(schema.getField(i), r.get(i)));
        }
        rows.put((String) row.get(0), row);
      }
    }
    return rows;
  }

  /**
   * {@code rows} with top-level empty strings made null, as {@link #fromCsv} reads them (the export
   * writes them apart, {@code ""} and nothing, which its tests check on the text).
   */
  public static Map<String, List<Object>> withEmptyTextAsNull(Map<String, List<Object>> rows) {
    Map<String, List<Object>> out = new TreeMap<>();
    rows.forEach((k, row) -> out.put(k, row.stream().map(v -> "".equals(v) ? null : v)
        .collect(java.util.stream.Collectors.toList())));
    return out;
  }

  /**
   * Every CSV file (plain or gzip) of an export's directory, each read on its own (each has its
   * header row); a record in two files fails.
   */
  public static Map<String, List<Object>> fromCsvFiles(Path out, Schema schema) throws IOException {
    Map<String, List<Object>> rows = new TreeMap<>();
    try (var files = Files.list(out)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (!name.contains(".csv")) {
          continue;
        }
        try (InputStream in = name.endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(f))
            : Files.newInputStream(f)) {
          Map<String, List<Object>> part = fromCsv(new InputStreamReader(in, StandardCharsets.UTF_8), schema);
          for (String k : part.keySet()) {
            if (rows.containsKey(k)) {
              throw new AssertionError("written twice: " + k + " (again in " + name + ")");
            }
          }
          rows.putAll(part);
        }
      }
    }
    return rows;
  }

  /**
   * Every Parquet file of an export's directory, read by Parquet's own Avro reader, as the schema's
   * values (Avro fields by position, as the export writes them); a record in two files fails.
   */
  public static Map<String, List<Object>> fromParquetFiles(Path out, Schema schema) throws IOException {
    Map<String, List<Object>> rows = new TreeMap<>();
    try (var files = Files.list(out)) {
      for (Path f : files.sorted().toList()) {
        String name = f.getFileName().toString();
        if (!name.endsWith(".parquet")) {
          continue;
        }
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(f),
            new PlainParquetConfiguration()).build()) {
          for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
            @SuppressWarnings("unchecked")
            List<Object> row = (List<Object>) fromAvro(FieldType.row(schema), false, r);
            String key = (String) row.get(0);
            if (rows.put(key, row) != null) {
              throw new AssertionError("written twice: " + key + " (again in " + name + ")");
            }
          }
        }
      }
    }
    return rows;
  }

  /** A value Parquet's Avro reader gives (Utf8 text, GenericRecord, List) as the schema's value. */
  private static Object fromAvro(FieldType t, boolean holdsJson, Object v) throws IOException {
    if (v == null) {
      return null;
    }
    if (holdsJson) {
      return JSON.readTree(v.toString());
    }
    switch (t.getTypeName()) {
      case STRING:
        return v.toString();
      case INT64:
      case DOUBLE:
      case BOOLEAN:
        return v;
      case ROW:
        GenericRecord r = (GenericRecord) v;
        if (r.getSchema().getFields().size() != t.getRowSchema().getFieldCount()) {
          throw new AssertionError(r.getSchema() + " does not have the fields of " + t.getRowSchema());
        }
        List<Object> row = new ArrayList<>();
        for (int i = 0; i < t.getRowSchema().getFieldCount(); i++) {
          Field f = t.getRowSchema().getField(i);
          row.add(fromAvro(f.getType(), RowSchemas.holdsJson(f), r.get(i)));
        }
        return row;
      case ARRAY:
      case ITERABLE:
        List<Object> elements = new ArrayList<>();
        for (Object e : (Iterable<?>) v) {
          elements.add(fromAvro(t.getCollectionElementType(), false, e));
        }
        return elements;
      default:
        throw new AssertionError("an inferred schema has no " + t);
    }
  }

  private static Object cell(Field f, String text) throws IOException {
    if (text == null) {
      return null;
    }
    if (RowSchemas.holdsJson(f)) {
      return JSON.readTree(text);
    }
    switch (f.getType().getTypeName()) {
      case STRING:
        return text;
      case INT64:
        return Long.valueOf(text);
      case DOUBLE:
        return Double.valueOf(text);
      case BOOLEAN:
        if (!text.equals("true") && !text.equals("false")) {
          throw new AssertionError("not a boolean: " + text);
        }
        return Boolean.valueOf(text);
      default:
        return value(f.getType(), JSON.readTree(text));
    }
  }

  private static Object value(Field f, JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    return RowSchemas.holdsJson(f) ? v : value(f.getType(), v);
  }

  private static Object value(FieldType t, JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    switch (t.getTypeName()) {
      case STRING:
        return v.textValue();
      case INT64:
        return v.longValue();
      case DOUBLE:
        return v.doubleValue();
      case BOOLEAN:
        return v.booleanValue();
      case ROW:
        List<Object> row = new ArrayList<>();
        for (Field f : t.getRowSchema().getFields()) {
          row.add(value(f, v.get(RowSchemas.itemFieldName(f))));
        }
        return row;
      case ARRAY:
      case ITERABLE:
        List<Object> elements = new ArrayList<>();
        v.forEach(e -> elements.add(value(t.getCollectionElementType(), e)));
        return elements;
      default:
        throw new AssertionError("an inferred schema has no " + t);
    }
  }
}
