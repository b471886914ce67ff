package io.scrapinghubio.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs the PostgreSQL tests where a server can be had: the one {@code .ci/run} starts
 * ({@code SCRAPINGHUB_IT_JDBC_URL}), or a private one that {@link PostgresUnderTest} starts when
 * Debian's {@code postgresql} package is installed. On a developer's machine with neither they are
 * skipped, saying how to run them, like the container and cluster tests; under {@code CI=true} they
 * must run, so a missing server fails them (in {@link PostgresUnderTest}).
 */
final class PostgresAvailable implements ExecutionCondition {

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    String url = System.getenv("SCRAPINGHUB_IT_JDBC_URL");
    if (url != null && !url.isBlank()) {
      return ConditionEvaluationResult.enabled("PostgreSQL at " + url);
    }
    if ("true".equals(System.getenv("CI")) || serverInstalled()) {
      return ConditionEvaluationResult.enabled("a private PostgreSQL server started by the tests");
    }
    return ConditionEvaluationResult.disabled("no PostgreSQL: install it (apt-get install -y postgresql) and the tests "
        + "start a private server, or start one with `.ci/postgres.sh start && source /tmp/scrapinghubio-postgres/env`");
  }

  /** Whether Debian's server binaries, which {@code .ci/postgres.sh} runs, are installed. */
  private static boolean serverInstalled() {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return false;
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions.anyMatch(v -> Files.isExecutable(v.resolve("bin").resolve("initdb")));
    } catch (IOException e) {
      return false;
    }
  }
}
