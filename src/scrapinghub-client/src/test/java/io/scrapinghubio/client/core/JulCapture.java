package io.scrapinghubio.client.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What one logger receives through {@code System.Logger}, which the JDK hands to
 * java.util.logging when no other backend is installed (the client's tests install none).
 */
final class JulCapture extends Handler implements AutoCloseable {
  private final Logger logger; // strong reference: java.util.logging keeps its loggers weakly
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();

  JulCapture(String loggerName) {
    this.logger = Logger.getLogger(loggerName);
    setLevel(Level.ALL);
    logger.addHandler(this);
  }

  List<String> warnings() {
    return records.stream().filter(r -> r.getLevel().equals(Level.WARNING)).map(LogRecord::getMessage).toList();
  }

  @Override
  public void publish(LogRecord r) {
    records.add(r);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
