package io.scrapinghubio.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scrapinghubio.client.JobQuery;
import io.scrapinghubio.client.JobSummary;
import io.scrapinghubio.client.ScrapinghubClient;
import io.scrapinghubio.client.core.ClientConfig;
import io.scrapinghubio.client.read.JobRecord;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simplest load a user could write instead of the ETL, and the PostgreSQL benchmark's
 * baseline: one thread lists the project's finished jobs lacking a tag, reads each job's items with
 * the client's {@code iter()}, parses each item and binds its fields to the columns of an existing
 * table, and sends {@code INSERT ... ON CONFLICT (_key) DO UPDATE} batches of {@code BATCH} rows
 * with a commit per batch (as JdbcIO does). Does not tag the jobs.
 *
 * <pre>SH_APIKEY=... JDBC_URL=... JDBC_USER=... JDBC_PASSWORD=... java -cp ... PostgresBaselineLoop STORAGE_URL DASH_URL PROJECT TABLE BATCH LACKS_TAG</pre>
 */
public final class PostgresBaselineLoop {
  private PostgresBaselineLoop() {}

  public static void main(String[] args) throws Exception {
    long t0 = System.nanoTime();
    ClientConfig config = ClientConfig.builder().storageEndpoint(args[0]).dashEndpoint(args[1]).gzip(false).build();
    long project = Long.parseLong(args[2]);
    String table = args[3];
    int batch = Integer.parseInt(args[4]);
    String lacksTag = args[5];
    ObjectMapper json = new ObjectMapper();
    long rows = 0;
    long jobs = 0;
    try (ScrapinghubClient client = ScrapinghubClient.create(config);
        Connection c = DriverManager.getConnection(System.getenv("JDBC_URL"), System.getenv("JDBC_USER"),
            System.getenv("JDBC_PASSWORD"))) {
      Map<String, String> columns = columns(c, table);
      List<String> names = new ArrayList<>(columns.keySet());
      PreparedStatement ps = c.prepareStatement(upsert(table, columns));
      c.setAutoCommit(false);
      int pending = 0;
      for (JobSummary job : client.getProject(project).jobs().iter(JobQuery.all().state("finished").lacksTag(lacksTag))) {
        jobs++;
        for (JobRecord r : client.getJob(job.key()).items().iter()) {
          JsonNode item = json.readTree(r.jsonBytes());
          for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            int p = i + 1;
            if (name.equals("_key")) {
              ps.setString(p, r.key());
              continue;
            }
            JsonNode v = item.get(name);
            if (v == null || v.isNull()) {
              ps.setNull(p, Types.OTHER);
              continue;
            }
            switch (columns.get(name)) {
              case "bigint" -> ps.setLong(p, v.asLong());
              case "double precision" -> ps.setDouble(p, v.asDouble());
              case "boolean" -> ps.setBoolean(p, v.asBoolean());
              case "jsonb" -> ps.setString(p, v.toString());
              default -> ps.setString(p, v.isTextual() ? v.textValue() : v.toString());
            }
          }
          ps.addBatch();
          rows++;
          if (++pending == batch) {
            ps.executeBatch();
            c.commit();
            pending = 0;
          }
        }
      }
      if (pending > 0) {
        ps.executeBatch();
        c.commit();
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    // The same shape as the ETL's summary line, which the benchmark reads the in-process time from.
    System.out.printf(java.util.Locale.ROOT, "Loaded %d jobs, %d rows in %.1f s (%.0f rows/s)%n", jobs, rows, seconds, rows / seconds);
  }

  private static Map<String, String> columns(Connection c, String table) throws Exception {
    Map<String, String> cols = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT a.attname, format_type(a.atttypid, NULL) FROM pg_attribute a "
        + "WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          cols.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    if (cols.isEmpty()) {
      throw new IllegalArgumentException("table " + table + " does not exist: the benchmark creates it first");
    }
    return cols;
  }

  private static String upsert(String table, Map<String, String> columns) {
    List<String> cols = new ArrayList<>();
    List<String> params = new ArrayList<>();
    List<String> updates = new ArrayList<>();
    columns.forEach((name, type) -> {
      String q = '"' + name + '"';
      cols.add(q);
      params.add(type.equals("jsonb") ? "?::jsonb" : "?");
      if (!name.equals("_key")) {
        updates.add(q + " = EXCLUDED." + q);
      }
    });
    return "INSERT INTO " + table + " (" + String.join(", ", cols) + ") VALUES (" + String.join(", ", params)
        + ") ON CONFLICT (\"_key\") DO UPDATE SET " + String.join(", ", updates);
  }
}
