package io.scrapinghubio.beam.jobs;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;

/** Job keys of one project that {@code awaitJobs()} polls together, one request per poll. */
@DefaultCoder(SerializableCoder.class)
final class JobBatch implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long project;
  private final List<String> keys;

  JobBatch(long project, List<String> keys) {
    this.project = project;
    this.keys = List.copyOf(keys);
  }

  long project() {
    return project;
  }

  List<String> keys() {
    return keys;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JobBatch && ((JobBatch) o).project == project && ((JobBatch) o).keys.equals(keys);
  }

  @Override
  public int hashCode() {
    return Objects.hash(project, keys);
  }

  @Override
  public String toString() {
    return "JobBatch{" + project + ": " + keys + "}";
  }
}
