package io.scrapinghubio.cli.export;

import org.apache.beam.model.pipeline.v1.SchemaApi;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.SchemaTranslation;
import org.apache.beam.vendor.grpc.v1p69p0.com.google.protobuf.InvalidProtocolBufferException;

/**
 * The columns of a CSV or Parquet export as the interrupted run kept them for its resume: Beam's
 * own portable form of a schema (the one runners exchange), so that field order, types and
 * nullability come back exactly, without a format of ours to keep in step with Beam's types.
 */
final class SettledColumns {
  private SettledColumns() {}

  static byte[] encode(Schema schema) {
    return SchemaTranslation.schemaToProto(schema, false).toByteArray();
  }

  static Schema decode(byte[] kept, String unfinished) {
    try {
      return SchemaTranslation.schemaFromProto(SchemaApi.Schema.parseFrom(kept));
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new IllegalStateException("the columns kept by the interrupted export in " + unfinished
          + " cannot be read (" + e.getMessage() + "); remove that directory to start afresh", e);
    }
  }
}
