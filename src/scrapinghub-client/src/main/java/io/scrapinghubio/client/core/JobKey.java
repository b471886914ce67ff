package io.scrapinghubio.client.core;

import java.io.Serializable;

/**
 * A job's key {@code <project>/<spider>/<job>}, e.g. {@code 2222222/1/287}: three positive
 * integers. Parsing fails fast with a message naming the bad value.
 *
 * <p>Serialisable so that Beam pipelines can ship it to workers; its serialised form is its
 * components, documented here, so it is left out of the serialised-form page (whose checks would
 * ask for a comment on each component's field).
 *
 * @param project the project id
 * @param spider the spider id
 * @param job the job number within the spider
 * @serial exclude
 */
public record JobKey(long project, long spider, long job) implements Serializable, Comparable<JobKey> {

  /**
   * A key; each part must be positive.
   *
   * @param project the project id
   * @param spider the spider id
   * @param job the job number
   */
  public JobKey {
    if (project <= 0 || spider <= 0 || job <= 0) {
      throw new IllegalArgumentException("job key parts must be positive integers, but got "
          + project + "/" + spider + "/" + job);
    }
  }

  /**
   * Parses {@code <project>/<spider>/<job>}.
   *
   * @param key the text
   * @return the key
   */
  public static JobKey parse(String key) {
    if (key == null) {
      throw new IllegalArgumentException("job key is null; expected '<project>/<spider>/<job>', e.g. '2222222/1/287'");
    }
    String[] parts = key.strip().split("/", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException("bad job key '" + key + "': expected '<project>/<spider>/<job>', e.g. '2222222/1/287'");
    }
    try {
      return new JobKey(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad job key '" + key + "': each part must be a positive integer, e.g. '2222222/1/287'");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad job key '" + key + "': " + e.getMessage());
    }
  }

  /**
   * The key of record {@code index} of this job, e.g. {@code 2222222/1/287/4}.
   *
   * @param index the record's index
   * @return the record's key
   */
  public String recordKey(long index) {
    return this + "/" + index;
  }

  @Override
  public String toString() {
    return project + "/" + spider + "/" + job;
  }

  @Override
  public int compareTo(JobKey o) {
    int c = Long.compare(project, o.project);
    if (c == 0) {
      c = Long.compare(spider, o.spider);
    }
    return c != 0 ? c : Long.compare(job, o.job);
  }
}
