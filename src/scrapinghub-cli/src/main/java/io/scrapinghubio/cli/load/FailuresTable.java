package io.scrapinghubio.cli.load;

import io.scrapinghubio.beam.failure.FailedRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.beam.sdk.io.jdbc.JdbcIO;

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

  /** Binds a failed record to {@link #upsertStatement()}. */
  static final class Setter implements JdbcIO.PreparedStatementSetter<FailedRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public void setParameters(FailedRecord f, PreparedStatement ps) throws SQLException {
      ps.setString(1, f.key());
      ps.setString(2, f.location());
      ps.setString(3, f.message());
      ps.setString(4, f.record());
    }
  }
}
