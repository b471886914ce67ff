package io.scrapinghubio.cli.load;

import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.values.PCollection;

/**
 * The load's error handler sink: counts the read's bad records (records that do not fit the rows'
 * schema) and upserts them into the failures table. Its output is what the tagging waits on, so a
 * job is tagged only once its failures are committed too.
 */
final class DeadLetterToFailuresTable extends PTransform<PCollection<BadRecord>, PCollection<Void>> {
  private static final long serialVersionUID = 1L;
  private final PostgresTarget target;
  private final String upsertStatement;
  private final int batchSize;
  private final String countsId;

  DeadLetterToFailuresTable(PostgresTarget target, FailuresTable table, int batchSize, String countsId) {
    this.target = target;
    this.upsertStatement = table.upsertStatement();
    this.batchSize = batchSize;
    this.countsId = countsId;
  }

  @Override
  public PCollection<Void> expand(PCollection<BadRecord> failures) {
    return failures
        .apply("CountFailures", ParDo.of(LoadCountFn.failures(countsId)))
        .apply("UpsertIntoFailures", JdbcIO.<BadRecord>write()
            .withDataSourceProviderFn(target.dataSourceProvider())
            .withStatement(upsertStatement)
            .withPreparedStatementSetter(new FailuresTable.Setter())
            .withBatchSize(batchSize)
            .withResults());
  }
}
