package io.scrapinghubio.client;

import java.util.Locale;

/** Log levels of Scrapy Cloud job logs (Python's {@code logging} numbers). */
public enum LogLevel {
  DEBUG(10), INFO(20), WARNING(30), ERROR(40), CRITICAL(50);

  private final int value;

  LogLevel(int value) {
    this.value = value;
  }

  public int value() {
    return value;
  }

  /** {@code "error"}, {@code "WARN"}, {@code "40"}... */
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
