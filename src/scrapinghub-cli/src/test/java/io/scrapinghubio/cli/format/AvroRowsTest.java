package io.scrapinghubio.cli.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.scrapinghubio.beam.rows.RowSchemas;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.Field;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.values.Row;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rows of an inferred schema as Avro records, and through Parquet's writer and reader and back. */
class AvroRowsTest {
  private static final Schema DIMS = Schema.builder().addNullableField("h", FieldType.DOUBLE)
      .addNullableField("w", FieldType.INT64).build();
  private static final Schema SCHEMA = Schema.builder()
      .addNullableField(RowSchemas.KEY_FIELD, FieldType.STRING)
      .addNullableField(RowSchemas.JOB_FIELD, FieldType.STRING)
      .addNullableField("dims", FieldType.row(DIMS))
      .addField(Field.nullable("mixed", FieldType.STRING).withOptions(Schema.Options.builder()
          .setOption(RowSchemas.JSON_OPTION, FieldType.BOOLEAN, true)))
      .addNullableField("ok", FieldType.BOOLEAN)
      .addNullableField("price", FieldType.DOUBLE)
      .addField(Field.nullable("prix_eur", FieldType.INT64).withOptions(Schema.Options.builder()
          .setOption(RowSchemas.NAME_OPTION, FieldType.STRING, "prix €")))
      .addNullableField("qty", FieldType.INT64)
      .addNullableField("tags", FieldType.array(FieldType.STRING.withNullable(true)))
      .addNullableField("variants", FieldType.array(FieldType.row(DIMS).withNullable(true)))
      .build();

  private static Row full() {
    return Row.withSchema(SCHEMA).addValues("1/2/3/0", "1/2/3", Row.withSchema(DIMS).addValues(1.5, 3L).build(),
        "{\"a\":[1,\"b\"]}", true, 9.5, 3L, Long.MAX_VALUE, Arrays.asList("a", null, ""),
        List.of(Row.withSchema(DIMS).addValues(null, 7L).build())).build();
  }

  private static Row nulls() {
    return Row.withSchema(SCHEMA).addValues("1/2/3/1", "1/2/3", null, null, null, null, null, null, null, null)
        .build();
  }

  @Test
  void valuesKeepTheirTypesAndNullsStayNull() {
    AvroRows rows = new AvroRows(SCHEMA);
    GenericRecord r = rows.toAvro(full());
    assertEquals("1/2/3/0", r.get("_key"));
    assertEquals(3L, ((GenericRecord) r.get("dims")).get("w"));
    assertEquals(1.5, ((GenericRecord) r.get("dims")).get("h"));
    assertEquals("{\"a\":[1,\"b\"]}", r.get("mixed")); // JSON text stays text, as in CSV
    assertEquals(true, r.get("ok"));
    assertEquals(Long.MAX_VALUE, r.get("qty"));
    assertEquals(Arrays.asList("a", null, ""), r.get("tags"));
    assertNull(((GenericRecord) ((List<?>) r.get("variants")).get(0)).get("h"));
    GenericRecord empty = rows.toAvro(nulls());
    for (String f : List.of("dims", "mixed", "ok", "price", "qty", "tags", "variants")) {
      assertNull(empty.get(f), f);
    }
  }

  @Test
  void namesAvroRefusesAreRenamedAndTheItemNameKept() {
    org.apache.avro.Schema avro = new AvroRows(SCHEMA).avroSchema();
    org.apache.avro.Schema.Field renamed = avro.getField("prix");
    assertEquals("prix €", renamed.getProp(AvroRows.NAME_PROPERTY));
    assertEquals("true", String.valueOf(avro.getField("mixed").getObjectProp(AvroRows.JSON_PROPERTY)));
    assertEquals("_2nd", AvroRows.avroName("2nd"));
    assertEquals("a_b", AvroRows.avroName("a$b"));
    Schema clash = Schema.builder().addNullableField(RowSchemas.KEY_FIELD, FieldType.STRING)
        .addNullableField("a b", FieldType.STRING).addNullableField("a-b", FieldType.STRING).build();
    assertEquals(List.of("_key", "a_b", "a_b_2"), new AvroRows(clash).avroSchema().getFields().stream()
        .map(org.apache.avro.Schema.Field::name).toList());
  }

  @Test
  void parquetFilesReadBackAsWrittenAndCopyKeepsWhatItIsAsked(@TempDir Path dir) throws Exception {
    ParquetRecords format = new ParquetRecords(SCHEMA, CompressionCodecName.ZSTD);
    Path file = dir.resolve("part.parquet");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    RecordFormat.RecordFile<Row> writer = format.open(bytes);
    long counted = writer.write(full()) + writer.write(nulls());
    counted += writer.finish();
    Files.write(file, bytes.toByteArray());
    assertEquals(Files.size(file), counted, "what the writer counts is the file's size");
    List<GenericRecord> read = read(file);
    assertEquals(List.of(format.avroSchema().toString(), format.avroSchema().toString()),
        read.stream().map(r -> r.getSchema().toString()).toList());
    GenericRecord first = read.get(0);
    assertEquals("1/2/3/0", first.get("_key").toString());
    assertEquals(Arrays.asList("a", null, ""), ((List<?>) first.get("tags")).stream()
        .map(v -> v == null ? null : v.toString()).toList());
    assertEquals(7L, ((GenericRecord) ((List<?>) first.get("variants")).get(0)).get("w"));
    assertNull(read.get(1).get("tags"));

    BitSet keep = new BitSet();
    keep.set(1);
    Path copy = dir.resolve("copy.parquet");
    assertEquals(1, ParquetRecords.copy(file, copy, keep, CompressionCodecName.GZIP));
    assertEquals(List.of("1/2/3/1"), read(copy).stream().map(r -> r.get("_key").toString()).toList());
    assertEquals(Map.of("1/2/3", 0L), Map.of(format.jobKey(full()), format.index(full())));
  }

  private static List<GenericRecord> read(Path file) throws Exception {
    List<GenericRecord> out = new ArrayList<>();
    try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file),
        new PlainParquetConfiguration()).build()) {
      for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
        out.add(r);
      }
    }
    return out;
  }
}
