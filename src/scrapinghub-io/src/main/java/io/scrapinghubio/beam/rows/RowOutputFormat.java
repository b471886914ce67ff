package io.scrapinghubio.beam.rows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.scrapinghubio.beam.read.OutputFormat;
import io.scrapinghubio.client.read.JobRecord;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.util.RowJson.RowJsonDeserializer;
import org.apache.beam.sdk.util.RowJson.RowJsonDeserializer.NullBehavior;
import org.apache.beam.sdk.util.RowJsonUtils;
import org.apache.beam.sdk.values.Row;

/**
 * Converts each record to a Beam {@link Row} of a schema, given or inferred, so Beam SQL can
 * query items. Fields missing from an item are null; fields the schema does not name are ignored;
 * STRING fields {@code _key} and {@code _job} receive the record's key {@code P/S/J/N} and its job.
 *
 * <p>Schemas of STRING, INT64, DOUBLE, BOOLEAN, ROW and ARRAY fields (every inferred schema, most
 * given ones) are converted strictly by {@link JsonRowConverter}, which also fills JSON-text fields
 * ({@link RowSchemas#holdsJson}). A schema with other types (INT32, DATETIME, MAP, logical
 * types...) goes through Beam's own RowJson mapping. Either way a record that does not fit throws,
 * and the read routes it to its failure output or fails, per its failure policy.
 *
 * <p>Plumbing for the read specs ({@link #of}), not API.
 */
@Internal
public final class RowOutputFormat extends OutputFormat<Row> {
  private static final long serialVersionUID = 1L;
  /** The rows' schema. */
  private final Schema schema;
  /** Null when the schema needs RowJson. */
  private final JsonRowConverter converter;
  /** Whether the RowJson path fills {@code _job} (a STRING field of that name): known from the schema, once. */
  private final boolean fillsJob;
  private transient ObjectMapper rowJson;

  /**
   * Each record as a Beam {@code Row} of {@code schema}: the row format of {@code asRows(schema)}
   * and of an inferred schema. It lives here, not in {@code OutputFormat}, so that the bounded
   * read's package does not depend on this one.
   *
   * @param schema a schema with at least one field
   * @return the format of rows of {@code schema}
   */
  public static OutputFormat<Row> of(Schema schema) {
    if (schema == null || schema.getFieldCount() == 0) {
      throw new IllegalArgumentException("row schema must have at least one field, but was " + schema);
    }
    return new RowOutputFormat(schema);
  }

  RowOutputFormat(Schema schema) {
    this.schema = schema;
    this.converter = JsonRowConverter.supports(schema) ? new JsonRowConverter(schema) : null;
    this.fillsJob = schema.hasField(RowSchemas.JOB_FIELD)
        && schema.getField(RowSchemas.JOB_FIELD).getType().getTypeName() == Schema.TypeName.STRING;
  }

  @Override
  public Row convert(JobRecord record, String jobKey) throws Exception {
    if (converter != null) {
      return converter.convert(record, jobKey);
    }
    if (rowJson == null) {
      rowJson = RowJsonUtils.newObjectMapperWith(RowJsonDeserializer.forSchema(schema)
          .withNullBehavior(NullBehavior.ACCEPT_MISSING_OR_NULL));
    }
    Row row = RowJsonUtils.jsonToRow(rowJson, record.json());
    if (fillsJob) {
      row = Row.fromRow(row).withFieldValue(RowSchemas.JOB_FIELD, jobKey).build();
    }
    return row;
  }

  @Override
  public boolean keepKey() {
    // the streaming converter takes the key from the record; RowJson needs it in the JSON
    return converter == null && schema.hasField(RowSchemas.KEY_FIELD);
  }

  @Override
  public Coder<Row> coder(CoderRegistry registry) {
    return RowCoder.of(schema);
  }

  @Override
  public String describe() {
    return "Row " + schema.getFieldNames();
  }

  Schema schema() {
    return schema;
  }
}
