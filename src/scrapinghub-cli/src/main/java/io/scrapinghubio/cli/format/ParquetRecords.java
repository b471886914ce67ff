package io.scrapinghubio.cli.format;

import io.scrapinghubio.beam.rows.RowSchemas;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.OutputFile;

/**
 * Parquet files of rows of an inferred schema ({@link RowSchemas}, the columns CSV has), each file
 * complete on its own (its footer written when the file is finished), written through Parquet's
 * Avro writer ({@link AvroRows}: nested rows as nested columns, arrays as Parquet lists, JSON text
 * of mixed-type fields as strings). Compression is Parquet's own, page by page ({@code gzip},
 * {@code zstd}), so that a reader still sees a Parquet file: the file itself is never compressed
 * as a whole.
 */
public final class ParquetRecords implements RowRecords {
  private static final long serialVersionUID = 1L;
  /**
   * A row group is buffered in memory until this size, per writer: smaller than Parquet's 128 MB
   * default, so that the workers of one JVM stay well within the CLI's heap.
   */
  private static final long ROW_GROUP_BYTES = 32L << 20;

  private final AvroRows rows;
  private final CompressionCodecName codec;

  /**
   * @param schema the inferred schema of the rows
   * @param codec Parquet's page compression, e.g. {@link CompressionCodecName#ZSTD}
   */
  public ParquetRecords(Schema schema, CompressionCodecName codec) {
    if (!schema.hasField(RowSchemas.KEY_FIELD)) {
      throw new IllegalArgumentException("Parquet rows are written from an inferred schema, which starts with "
          + RowSchemas.KEY_FIELD + ": " + schema.getFieldNames());
    }
    this.rows = new AvroRows(schema);
    this.codec = codec;
  }

  @Override
  public RecordFile<Row> open(OutputStream out) throws IOException {
    StreamOutputFile file = new StreamOutputFile(out);
    ParquetWriter<GenericRecord> writer = writer(file, rows.avroSchema(), codec);
    return new RecordFile<>() {
      private long counted;

      @Override
      public long write(Row row) throws IOException {
        writer.write(rows.toAvro(row));
        // What is buffered counts as its encoded size until the row group is written.
        long size = writer.getDataSize();
        long added = size - counted;
        counted = size;
        return added;
      }

      @Override
      public long finish() throws IOException {
        writer.close();
        long added = file.position() - counted;
        counted = file.position();
        return added;
      }
    };
  }

  /**
   * Writes into {@code to} the records of the Parquet file {@code from} (a part this format wrote)
   * whose position {@code keep} holds, in order, with the file's own schema: how a resumable export
   * drops the records a runner's retry wrote twice.
   *
   * @param codec the page compression of the file written
   * @return how many records were written
   */
  public static long copy(Path from, Path to, BitSet keep, CompressionCodecName codec) throws IOException {
    long kept = 0;
    try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(from),
            new PlainParquetConfiguration()).withDataModel(GenericData.get()).withCodecFactory(new PageCodecs())
            .build();
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(to), 1 << 16)) {
      ParquetWriter<GenericRecord> writer = null;
      int position = 0;
      for (GenericRecord r = reader.read(); r != null; r = reader.read(), position++) {
        if (writer == null) {
          writer = writer(new StreamOutputFile(out), r.getSchema(), codec);
        }
        if (keep.get(position)) {
          writer.write(r);
          kept++;
        }
      }
      if (writer != null) {
        writer.close();
      }
    }
    return kept;
  }

  private static ParquetWriter<GenericRecord> writer(OutputFile file, org.apache.avro.Schema schema,
      CompressionCodecName codec) throws IOException {
    return AvroParquetWriter.<GenericRecord>builder(file)
        .withSchema(schema)
        .withDataModel(GenericData.get())
        // Parquet's own configuration, not Hadoop's: nothing reads Hadoop's XML files or classes.
        .withConf(new PlainParquetConfiguration())
        // Arrays as Parquet's standard 3-level lists, which (unlike the old 2-level ones) hold nulls.
        .config(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, "false")
        .withCodecFactory(new PageCodecs())
        .withCompressionCodec(codec)
        .withRowGroupSize(ROW_GROUP_BYTES)
        .build();
  }

  @Override
  public String suffix() {
    return ".parquet";
  }

  /** The Avro schema of the files' rows (kept in each file's metadata too). */
  public org.apache.avro.Schema avroSchema() {
    return rows.avroSchema();
  }

  /** The page compression. */
  public CompressionCodecName codec() {
    return codec;
  }
}
