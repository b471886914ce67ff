package io.scrapinghubio.client;

import java.util.Locale;

/** Log levels of Scrapy Cloud job logs (Python's {@code logging} numbers). */
public enum LogLevel {
  /** Debugging detail (10). */
  DEBUG(10),
  /** Normal progress (20). */
  INFO(20),
  /** Something unexpected that the job went on from (30). */
  WARNING(30),
  /** A failure of one operation (40); job summaries count these as {@code errors}. */
  ERROR(40),
  /** A failure the job may not survive (50). */
  CRITICAL(50);

  private final int value;

  LogLevel(int value) {
    this.value = value;
  }

  /**
   * The level's number, as Python's {@code logging} and the log records use it.
   *
   * @return 10, 20, 30, 40 or 50
   */
  public int value() {
    return value;
  }

  /**
   * {@code "error"}, {@code "WARN"}, {@code "40"}...
   *
   * @param s a name or number, any case
   * @return the level
   */
  public static LogLevel parse(String s) {
    if (s == null || s.isBlank()) {
      throw new IllegalArgumentException("log level must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL or 10..50, but was '" + s + "'");
    }
    String u = s.strip().toUpperCase(Locale.ROOT);
    if (u.equals("WARN")) {
      return WARNING;
    }
    for (LogLevel l : values()) {
      if (l.name().equals(u) || Integer.toString(l.value).equals(u)) {
        return l;
      }
    }
    throw new IllegalArgumentException("unknown log level '" + s + "': expected DEBUG, INFO, WARNING, ERROR, CRITICAL or 10/20/30/40/50");
  }
}
