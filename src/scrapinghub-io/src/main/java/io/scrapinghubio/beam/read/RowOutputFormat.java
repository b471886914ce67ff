package io.scrapinghubio.beam.read;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.scrapinghubio.client.read.JobRecord;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.util.RowJson.RowJsonDeserializer;
import org.apache.beam.sdk.util.RowJson.RowJsonDeserializer.NullBehavior;
import org.apache.beam.sdk.util.RowJsonUtils;
import org.apache.beam.sdk.values.Row;

/**
 * Converts each record to a Beam {@link Row} of a user-given schema (Beam's own JSON-to-Row
 * mapping), so Beam SQL can query items. Fields missing from an item become null; fields the
 * schema does not name are ignored. A schema field named {@code _key} (STRING) receives the
 * record's key {@code P/S/J/N}.
 */
final class RowOutputFormat extends OutputFormat<Row> {
  private static final long serialVersionUID = 1L;
  private final Schema schema;
  private transient ObjectMapper mapper;

  RowOutputFormat(Schema schema) {
    this.schema = schema;
  }

  @Override
  public Row convert(JobRecord record, String jobKey) throws Exception {
    if (mapper == null) {
      mapper = RowJsonUtils.newObjectMapperWith(RowJsonDeserializer.forSchema(schema)
          .withNullBehavior(NullBehavior.ACCEPT_MISSING_OR_NULL));
    }
    return RowJsonUtils.jsonToRow(mapper, record.json());
  }

  @Override
  public boolean keepKey() {
    return schema.hasField("_key");
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
