package io.scrapinghubio.cli.format;

import io.scrapinghubio.beam.rows.RowSchemas;
import org.apache.beam.sdk.values.Row;

/**
 * A format of the read's rows ({@code asRows}), CSV's and Parquet's: which record a row is comes
 * from its {@code _key} column ({@code P/S/J/N}), the one lineage every inferred schema starts with.
 */
interface RowRecords extends RecordFormat<Row> {
  @Override
  default String jobKey(Row row) {
    String key = row.getString(RowSchemas.KEY_FIELD);
    return key.substring(0, key.lastIndexOf('/'));
  }

  @Override
  default long index(Row row) {
    String key = row.getString(RowSchemas.KEY_FIELD);
    return Long.parseLong(key.substring(key.lastIndexOf('/') + 1));
  }
}
