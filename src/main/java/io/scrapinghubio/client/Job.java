package io.scrapinghubio.client;

import io.scrapinghubio.client.read.JobDataType;

/** One job ({@code P/S/J}) and its data. Creating it makes no request. */
public final class Job {
  private final ScrapinghubClient client;
  private final JobKey key;

  Job(ScrapinghubClient client, JobKey key) {
    this.client = client;
    this.key = key;
  }

  public JobKey key() {
    return key;
  }

  public JobData items() {
    return new JobData(client, key, JobDataType.ITEMS);
  }

  public JobData logs() {
    return new JobData(client, key, JobDataType.LOGS);
  }

  public JobData requests() {
    return new JobData(client, key, JobDataType.REQUESTS);
  }

  public JobData samples() {
    return new JobData(client, key, JobDataType.SAMPLES);
  }

  /** The record log of the given type. */
  public JobData data(JobDataType type) {
    return new JobData(client, key, type);
  }

  @Override
  public String toString() {
    return "Job(" + key + ")";
  }
}
