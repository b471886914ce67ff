package io.scrapinghubio.client;

import io.scrapinghubio.client.core.JobKey;

import io.scrapinghubio.client.read.JobDataType;
import io.scrapinghubio.client.read.JobRecord;
import io.scrapinghubio.client.read.ReadSpec;
import java.util.List;
import java.util.Objects;

/**
 * A job's log: {@link JobData} plus the official client's level filter, {@code
 * logs.iter(level='ERROR')}, which asks the service for {@code filter=["level", ">=", [40]]}.
 */
public final class Logs extends JobData {

  Logs(ScrapinghubClient client, JobKey job) {
    super(client, job, JobDataType.LOGS);
  }

  /**
   * A spec for entries at {@code minLevel} or above; refine it further with {@code withX()}.
   *
   * @param minLevel the lowest level
   * @return the spec
   */
  public ReadSpec spec(LogLevel minLevel) {
    Objects.requireNonNull(minLevel, "minLevel");
    return spec().withFilter("level", ">=", minLevel.value());
  }

  /**
   * Log entries at {@code minLevel} or above, streamed.
   *
   * @param minLevel the lowest level
   * @return the log lines
   */
  public Iterable<JobRecord> iter(LogLevel minLevel) {
    return iter(spec(minLevel));
  }

  /**
   * Log entries at {@code minLevel} or above, in memory: only for small logs.
   *
   * @param minLevel the lowest level
   * @return the log lines
   */
  public List<JobRecord> list(LogLevel minLevel) {
    return list(spec(minLevel));
  }
}
