package io.scrapinghubio.cli.options;

import io.scrapinghubio.beam.ScrapinghubRead;
import io.scrapinghubio.client.read.JobDataType;
import picocli.CommandLine.Option;

/** {@code --data-type}: which of a job's records a command reads, items by default. */
public final class DataTypeOption {
  /** The record types a job holds, as the storage API names them. */
  public enum DataType {
    items(JobDataType.ITEMS, "item"),
    logs(JobDataType.LOGS, "log line"),
    requests(JobDataType.REQUESTS, "request"),
    samples(JobDataType.SAMPLES, "sample");

    final JobDataType type;
    final String noun;

    DataType(JobDataType type, String noun) {
      this.type = type;
      this.noun = noun;
    }
  }

  @Option(names = "--data-type", paramLabel = "TYPE", defaultValue = "items",
      description = "What to read of each job: items, logs, requests or samples; each line is the record's JSON as "
          + "stored (default: ${DEFAULT-VALUE})")
  public DataType dataType = DataType.items;

  /** {@code read} reading this type. */
  public <T> ScrapinghubRead<T> applyTo(ScrapinghubRead<T> read) {
    return dataType == DataType.items ? read : read.withDataType(dataType.type);
  }

  /** The singular noun of one record, e.g. "item", "log line": what progress and summary count. */
  public String noun() {
    return dataType.noun;
  }

  public boolean items() {
    return dataType == DataType.items;
  }
}
