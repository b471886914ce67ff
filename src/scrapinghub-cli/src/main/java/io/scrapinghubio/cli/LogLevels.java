package io.scrapinghubio.cli;

import java.util.List;

/**
 * Log levels of the executable jar (slf4j-simple, on stderr). The commands draw their own progress,
 * so the connector's per-worker progress line ({@code ProgressLogger}) is only shown with
 * {@code --verbose}, which also lets Beam and Flink say more. Must run before the first logger is
 * created: slf4j-simple reads its settings once.
 */
final class LogLevels {
  private LogLevels() {}

  static void configure(String[] args) {
    int end = List.of(args).indexOf("--");
    List<String> ours = end < 0 ? List.of(args) : List.of(args).subList(0, end);
    if (ours.contains("--verbose")) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
      System.setProperty("org.slf4j.simpleLogger.log.org.apache.flink", "info");
      System.setProperty("org.slf4j.simpleLogger.log.io.scrapinghubio.client.http.RetryInterceptor", "info");
      System.setProperty("org.slf4j.simpleLogger.log.org.apache.beam.runners.flink.FlinkRunner", "info");
      System.setProperty("org.slf4j.simpleLogger.log.io.scrapinghubio.beam.metrics.ProgressLogger", "info");
      System.setProperty("org.slf4j.simpleLogger.log.io.scrapinghubio.beam.jobs.ScheduleJobsFn", "info");
      System.setProperty("org.slf4j.simpleLogger.log.io.scrapinghubio.beam.jobs.AwaitJobsFn", "info");
      System.setProperty("org.slf4j.simpleLogger.log.io.scrapinghubio.beam.rows.SchemaSampler", "info");
    }
    // Initialise SLF4J now, on this one thread: when its first loggers are asked for by several
    // threads at once (the emulator's, the sizing's, the pipeline's), SLF4J 2 replays their calls and
    // says so in "SLF4J(W): ... replayed" lines ahead of the command's own first line.
    org.slf4j.LoggerFactory.getILoggerFactory();
  }
}
