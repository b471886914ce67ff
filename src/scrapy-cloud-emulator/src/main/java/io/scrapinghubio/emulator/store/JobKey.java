package io.scrapinghubio.emulator.store;

/** A parsed {@code P/S/J} job key. */
public record JobKey(long project, int spider, int job) {

  /**
   * Parses a job key.
   *
   * @param key {@code P/S/J}
   * @return the key's parts
   */
  public static JobKey parse(String key) {
    String[] p = key.split("/");
    if (p.length != 3) {
      throw new IllegalArgumentException("not a job key (P/S/J): " + key);
    }
    try {
      return new JobKey(Long.parseLong(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a job key (P/S/J): " + key, e);
    }
  }

  @Override
  public String toString() {
    return project + "/" + spider + "/" + job;
  }
}
