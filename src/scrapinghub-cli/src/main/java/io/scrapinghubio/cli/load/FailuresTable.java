package io.scrapinghubio.cli.load;

import io.scrapinghubio.beam.failure.ScrapinghubFailure;
import io.scrapinghubio.beam.read.ScrapinghubRecord;
import io.scrapinghubio.beam.read.ScrapinghubRecordCoder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;

/**
 * The dead-letter table beside the items' table ({@code <table>_failures}): one row per record that
 * did not convert to the rows' schema (a string where a number was inferred...), with its key, its
 * job, the reason and the record's JSON as stored, upserted by key so a re-run does not duplicate it.
 */
final class FailuresTable {
  private final String name;

  FailuresTable(PostgresTable items) {
    this.name = items.name() + "_failures";
  }

  String name() {
    return name;
  }

  /** Creates the table when missing; returns the DDL it ran, if any. */
  String prepare(Connection c) throws SQLException {
    String ddl = "CREATE TABLE IF NOT EXISTS " + name + " (\"_key\" text PRIMARY KEY, \"_job\" text, reason text, "
        + "record text, failed_at timestamp with time zone NOT NULL DEFAULT now())";
    try (Statement st = c.createStatement()) {
      st.execute(ddl);
    }
    return ddl;
  }

  String upsertStatement() {
    return "INSERT INTO " + name + " (\"_key\", \"_job\", reason, record) VALUES (?, ?, ?, ?) ON CONFLICT (\"_key\") "
        + "DO UPDATE SET \"_job\" = EXCLUDED.\"_job\", reason = EXCLUDED.reason, record = EXCLUDED.record, failed_at = now()";
  }

  /**
   * Binds a read's bad record to {@link #upsertStatement()}: the key and job of the record it holds
   * (decoded), the reason ({@link ScrapinghubFailure#reason()} of its description, without the
   * kind, key and job the columns beside it hold) and the record's JSON as stored.
   */
  static final class Setter implements JdbcIO.PreparedStatementSetter<BadRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public void setParameters(BadRecord f, PreparedStatement ps) throws SQLException {
      ScrapinghubRecord r;
      try {
        r = ScrapinghubRecordCoder.of().decode(new ByteArrayInputStream(f.getRecord().getEncodedRecord()));
      } catch (IOException e) {
        throw new SQLException("a bad record of the read cannot be decoded (" + f.getRecord().getCoder() + "): "
            + f.getFailure().getDescription(), e);
      }
      String description = f.getFailure().getDescription();
      ps.setString(1, r.key());
      ps.setString(2, r.jobKey());
      ps.setString(3, ScrapinghubFailure.of(f).filter(x -> x.subjectType() == ScrapinghubFailure.Subject.RECORD)
          .map(ScrapinghubFailure::reason).orElse(description));
      ps.setString(4, f.getRecord().getHumanReadableJsonRecord());
    }
  }
}
