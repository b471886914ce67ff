package io.scrapinghubio.client.http;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The records one class logs through {@code System.Logger}, which the JDK hands to
 * java.util.logging when no other backend is installed (the client's tests install none).
 */
final class LogCapture extends Handler implements AutoCloseable {
  private final Logger logger; // strong reference: java.util.logging keeps its loggers weakly
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();

  private LogCapture(Class<?> source) {
    this.logger = Logger.getLogger(source.getName());
    setLevel(Level.ALL);
    logger.addHandler(this);
  }

  static LogCapture of(Class<?> source) {
    return new LogCapture(source);
  }

  /** The formatted messages logged at {@code level}. */
  List<String> messages(Level level) {
    return records.stream().filter(r -> r.getLevel().equals(level)).map(LogRecord::getMessage).toList();
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
