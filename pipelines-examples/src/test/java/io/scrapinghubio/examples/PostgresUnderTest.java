package io.scrapinghubio.examples;

import io.scrapinghubio.cli.load.PostgresTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The PostgreSQL server the ETL tests load into: the one named by {@code SCRAPINGHUB_IT_JDBC_URL},
 * {@code SCRAPINGHUB_IT_JDBC_USER} and {@code SCRAPINGHUB_IT_JDBC_PASSWORD} ({@code .ci/run} starts it
 * with {@code .ci/postgres.sh} and exports them). Under {@code CI=true} they must be set: the tests
 * fail rather than start anything. On a developer's machine without them, the tests start a private
 * server of their own with the same script (in {@code target/postgres}, stopped when the JVM exits);
 * that needs Debian's {@code postgresql} package, and the error says so when it is missing.
 */
final class PostgresUnderTest {
  private static PostgresUnderTest instance;

  final String url;
  final String user;
  private final String password;

  private PostgresUnderTest(String url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  static synchronized PostgresUnderTest get() {
    if (instance == null) {
      instance = locate();
    }
    return instance;
  }

  private static PostgresUnderTest locate() {
    String url = System.getenv("SCRAPINGHUB_IT_JDBC_URL");
    if (url != null && !url.isBlank()) {
      return new PostgresUnderTest(url, required("SCRAPINGHUB_IT_JDBC_USER"), required("SCRAPINGHUB_IT_JDBC_PASSWORD"));
    }
    if ("true".equals(System.getenv("CI"))) {
      throw new IllegalStateException("CI=true but SCRAPINGHUB_IT_JDBC_URL is not set: .ci/run starts PostgreSQL with "
          + ".ci/postgres.sh and exports its env file; the PostgreSQL tests must run in CI against it");
    }
    return startPrivateServer();
  }

  private static PostgresUnderTest startPrivateServer() {
    Path script = Path.of(System.getProperty("postgresScript", "../.ci/postgres.sh")).toAbsolutePath().normalize();
    Path dir = Path.of("target", "postgres").toAbsolutePath();
    try {
      ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "start").redirectErrorStream(true);
      pb.environment().put("POSTGRES_DIR", dir.toString());
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("no SCRAPINGHUB_IT_JDBC_URL set, and starting a private PostgreSQL with `"
            + script + " start` failed:\n" + out + "\nInstall PostgreSQL (apt-get install -y postgresql), or start "
            + "one with `.ci/postgres.sh start && source /tmp/scrapinghubio-postgres/env` before running the tests");
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          ProcessBuilder stop = new ProcessBuilder("bash", script.toString(), "stop").redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD);
          stop.environment().put("POSTGRES_DIR", dir.toString());
          stop.start().waitFor(60, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
          // the JVM is exiting; the server's pid file lets the next start or a manual stop find it
        }
      }));
      Map<String, String> env = new HashMap<>();
      for (String line : Files.readAllLines(dir.resolve("env"), StandardCharsets.UTF_8)) {
        String l = line.replaceFirst("^export ", "");
        int eq = l.indexOf('=');
        if (eq > 0 && !l.contains(" ")) {
          env.put(l.substring(0, eq), l.substring(eq + 1));
        }
      }
      return new PostgresUnderTest(env.get("SCRAPINGHUB_IT_JDBC_URL"), env.get("SCRAPINGHUB_IT_JDBC_USER"),
          env.get("SCRAPINGHUB_IT_JDBC_PASSWORD"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + script + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String required(String name) {
    String v = System.getenv(name);
    if (v == null || v.isBlank()) {
      throw new IllegalStateException(name + " is not set (SCRAPINGHUB_IT_JDBC_URL is): source the env file of .ci/postgres.sh");
    }
    return v;
  }

  String password() {
    return password;
  }

  /** The ETL's target, its password in a file of {@code dir} (as a user would keep it). */
  PostgresTarget target(Path dir) throws IOException {
    Path file = dir.resolve("pg-password");
    Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
    return PostgresTarget.withPasswordFile(url, user, file);
  }

  Connection connect() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }
}
