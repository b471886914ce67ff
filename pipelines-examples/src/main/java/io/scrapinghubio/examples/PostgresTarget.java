package io.scrapinghubio.examples;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.apache.commons.dbcp2.BasicDataSource;
import org.apache.beam.sdk.transforms.SerializableFunction;

/**
 * Where the rows go: a PostgreSQL JDBC URL, a user, and where the password is read from: an
 * environment variable or a file, read where a connection is opened (the driver and each worker).
 *
 * <p>The password itself is never a field: a {@code JdbcIO.DataSourceConfiguration} would keep it
 * in the serialized pipeline (the job graph a runner ships and stores), so the sink is given a
 * {@link #dataSourceProvider()} that holds only the URL, the user and the password's location.
 * {@link #toString()} and error messages name the URL and the user, never the password.
 *
 * <p>{@link #fromEnvironment()} is what the ETL uses: {@code JDBC_URL}, {@code JDBC_USER}, and
 * {@code JDBC_PASSWORD} or {@code JDBC_PASSWORD_FILE}.
 */
final class PostgresTarget implements Serializable {
  private static final long serialVersionUID = 1L;
  static final String URL_VARIABLE = "JDBC_URL";
  static final String USER_VARIABLE = "JDBC_USER";
  static final String PASSWORD_VARIABLE = "JDBC_PASSWORD";
  static final String PASSWORD_FILE_VARIABLE = "JDBC_PASSWORD_FILE";

  private final String url;
  private final String user;
  /** Exactly one of these is set. */
  private final String passwordVariable;
  private final String passwordFile;

  private PostgresTarget(String url, String user, String passwordVariable, String passwordFile) {
    this.url = checkUrl(url);
    if (user == null || user.isBlank()) {
      throw new IllegalArgumentException("the PostgreSQL user is empty: set " + USER_VARIABLE);
    }
    this.user = user;
    this.passwordVariable = passwordVariable;
    this.passwordFile = passwordFile;
  }

  /** The password is read from {@code passwordFile} (trailing newline ignored) wherever a connection is opened. */
  static PostgresTarget withPasswordFile(String url, String user, Path passwordFile) {
    Path absolute = passwordFile.toAbsolutePath(); // the user's working directory, not the worker's
    if (!Files.isReadable(absolute)) {
      throw new IllegalArgumentException("the PostgreSQL password file " + absolute + " does not exist or is not readable");
    }
    return new PostgresTarget(url, user, null, absolute.toString());
  }

  /** The password is read from the environment variable {@code name} wherever a connection is opened. */
  static PostgresTarget withPasswordVariable(String url, String user, String name) {
    if (System.getenv(name) == null) {
      throw new IllegalArgumentException("the environment variable " + name + " (the PostgreSQL password) is not set");
    }
    return new PostgresTarget(url, user, name, null);
  }

  /** {@code JDBC_URL}, {@code JDBC_USER}, and {@code JDBC_PASSWORD_FILE} if set, else {@code JDBC_PASSWORD}. */
  static PostgresTarget fromEnvironment() {
    String url = System.getenv(URL_VARIABLE);
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException(URL_VARIABLE + " is not set: expected the database's JDBC URL, e.g. "
          + "jdbc:postgresql://127.0.0.1:5432/mydb (with " + USER_VARIABLE + ", and " + PASSWORD_VARIABLE + " or "
          + PASSWORD_FILE_VARIABLE + ")");
    }
    String file = System.getenv(PASSWORD_FILE_VARIABLE);
    if (file != null && !file.isBlank()) {
      return withPasswordFile(url, System.getenv(USER_VARIABLE), Path.of(file));
    }
    if (System.getenv(PASSWORD_VARIABLE) == null) {
      throw new IllegalArgumentException("neither " + PASSWORD_VARIABLE + " nor " + PASSWORD_FILE_VARIABLE
          + " is set: expected the PostgreSQL password in one of them");
    }
    return withPasswordVariable(url, System.getenv(USER_VARIABLE), PASSWORD_VARIABLE);
  }

  /**
   * Only PostgreSQL URLs, and no credentials inside them: a URL is logged and shown in the job's
   * display data, so a {@code password=} parameter would leak there.
   */
  private static String checkUrl(String url) {
    if (url == null || !url.startsWith("jdbc:postgresql://")) {
      // The value is not repeated: a mistyped URL may hold a password.
      throw new IllegalArgumentException("the JDBC URL must start with jdbc:postgresql://host:port/database");
    }
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.contains("password=") || lower.substring("jdbc:postgresql://".length()).contains("@")) {
      throw new IllegalArgumentException("the JDBC URL holds credentials; it is logged and shown in the pipeline's "
          + "display data, so give the password in " + PASSWORD_VARIABLE + " or " + PASSWORD_FILE_VARIABLE + " instead");
    }
    return url;
  }

  String url() {
    return url;
  }

  String user() {
    return user;
  }

  /** Where the password comes from, for messages: e.g. "the environment variable JDBC_PASSWORD". */
  String passwordSource() {
    return passwordVariable != null ? "the environment variable " + passwordVariable : "the file " + passwordFile;
  }

  private String password() {
    if (passwordVariable != null) {
      String p = System.getenv(passwordVariable);
      if (p == null) {
        throw new IllegalStateException(passwordSource() + " is not set in this process (" + hostName() + ")");
      }
      return p;
    }
    try {
      return Files.readString(Path.of(passwordFile), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the PostgreSQL password from " + passwordSource() + ": " + e.getMessage(), e);
    }
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "this host";
    }
  }

  /**
   * A new connection, for the driver's checks and DDL. A refused login or an unreachable server
   * becomes an error naming the URL, the user and where the password came from (PostgreSQL's own
   * message never contains the password).
   */
  Connection connect() {
    java.util.Properties props = new java.util.Properties();
    props.setProperty("user", user);
    props.setProperty("password", password());
    props.setProperty("connectTimeout", "10"); // seconds: an unreachable host fails soon, not after minutes
    try {
      Connection c = new org.postgresql.Driver().connect(url, props);
      if (c == null) {
        throw new IllegalArgumentException("the PostgreSQL driver does not accept the URL " + url);
      }
      return c;
    } catch (SQLException e) {
      throw new IllegalArgumentException(describeFailure(e), e);
    }
  }

  private String describeFailure(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String why;
    if (state.equals("28P01") || state.equals("28000")) {
      why = "the server refused the login (wrong password or user; the password was read from " + passwordSource() + ")";
    } else if (state.equals("3D000")) {
      why = "the database does not exist";
    } else if (state.startsWith("08")) {
      why = "the server cannot be reached (is it running, and listening on that host and port?)";
    } else {
      why = "connecting failed";
    }
    return "cannot connect to PostgreSQL at " + url + " as user " + user + ": " + why + " [" + e.getMessage() + "]";
  }

  /** JdbcIO's data source: built on each worker from this target, one pool per JVM and target. */
  SerializableFunction<Void, DataSource> dataSourceProvider() {
    PostgresTarget target = this;
    return unused -> target.pooled();
  }

  /** One connection pool per JVM and target: JdbcIO asks for a connection per bundle. */
  private static final Map<PostgresTarget, BasicDataSource> POOLS = new ConcurrentHashMap<>();

  private DataSource pooled() {
    return POOLS.computeIfAbsent(this, t -> {
      BasicDataSource ds = new BasicDataSource();
      ds.setDriverClassName("org.postgresql.Driver");
      ds.setUrl(t.url);
      ds.setUsername(t.user);
      ds.setPassword(t.password());
      // A broken connection is found before a batch is sent on it, not by the batch failing.
      ds.setTestOnBorrow(true);
      ds.setValidationQuery("SELECT 1");
      return ds;
    });
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PostgresTarget t && url.equals(t.url) && user.equals(t.user)
        && Objects.equals(passwordVariable, t.passwordVariable) && Objects.equals(passwordFile, t.passwordFile);
  }

  @Override
  public int hashCode() {
    return Objects.hash(url, user, passwordVariable, passwordFile);
  }

  @Override
  public String toString() {
    return "PostgreSQL " + url + " as " + user + " (password from " + passwordSource() + ")";
  }
}
