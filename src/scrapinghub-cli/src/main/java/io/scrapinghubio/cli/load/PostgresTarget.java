package io.scrapinghubio.cli.load;

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
 * <p>The {@code load} command reads the password from {@code PGPASSWORD} or {@code --password-file};
 * the {@code ItemsToPostgres} example from {@code JDBC_PASSWORD} or {@code JDBC_PASSWORD_FILE}.
 */
public final class PostgresTarget implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String url;
  private final String user;
  /** Exactly one of these is set. */
  private final String passwordVariable;
  private final String passwordFile;

  private PostgresTarget(String url, String user, String passwordVariable, String passwordFile) {
    this.url = checkUrl(url);
    if (user == null || user.isBlank()) {
      throw new IllegalArgumentException("the PostgreSQL user is empty: expected a user name");
    }
    this.user = user;
    this.passwordVariable = passwordVariable;
    this.passwordFile = passwordFile;
  }

  /** The password is read from {@code passwordFile} (trailing newline ignored) wherever a connection is opened. */
  public static PostgresTarget withPasswordFile(String url, String user, Path passwordFile) {
    Path absolute = passwordFile.toAbsolutePath(); // the user's working directory, not the worker's
    PostgresTarget target = new PostgresTarget(url, user, null, absolute.toString()); // the URL and user first
    if (!Files.isReadable(absolute)) {
      throw new IllegalArgumentException("the PostgreSQL password file " + absolute + " does not exist or is not readable");
    }
    return target;
  }

  /** The password is read from the environment variable {@code name} wherever a connection is opened. */
  public static PostgresTarget withPasswordVariable(String url, String user, String name) {
    PostgresTarget target = new PostgresTarget(url, user, name, null); // the URL and user first
    if (System.getenv(name) == null) {
      throw new IllegalArgumentException("the environment variable " + name + " (the PostgreSQL password) is not set");
    }
    return target;
  }

  /**
   * Only PostgreSQL URLs, and no credentials inside them: a URL is logged and shown in the job's
   * display data, so a {@code password=} parameter would leak there.
   */
  private static String checkUrl(String url) {
    String lower = url == null ? "" : url.toLowerCase(Locale.ROOT);
    // Credentials first, without repeating the value: a URL holding a password must not reach a log.
    if (lower.contains("password=") || lower.replaceFirst("^[a-z:]*//", "").replaceFirst("[/?].*", "").contains("@")) {
      throw new IllegalArgumentException("the JDBC URL holds credentials (its value is not shown); it is logged and "
          + "shown in the pipeline's display data, so give the password in an environment variable or a file instead");
    }
    if (!lower.startsWith("jdbc:postgresql://")) {
      throw new IllegalArgumentException("the JDBC URL '" + url + "' is not a PostgreSQL one: expected "
          + "jdbc:postgresql://host:port/database");
    }
    return url;
  }


  public String url() {
    return url;
  }

  public String user() {
    return user;
  }

  /** Where the password comes from, for messages: e.g. "the environment variable JDBC_PASSWORD". */
  public String passwordSource() {
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
  public Connection connect() {
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
