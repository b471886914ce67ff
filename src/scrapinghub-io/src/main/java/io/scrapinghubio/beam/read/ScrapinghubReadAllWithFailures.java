package io.scrapinghubio.beam.read;

import io.scrapinghubio.beam.failure.FailurePolicy;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;

/**
 * {@code ScrapinghubIO.readAll()...withFailureOutput()}: the same read of the job keys it is
 * given, producing a {@link ReadResult} with the records that did not convert apart from the
 * others. Configure the read before calling {@code withFailureOutput()}.
 */
public final class ScrapinghubReadAllWithFailures<T> extends PTransform<PCollection<String>, ReadResult<T>> {
  private static final long serialVersionUID = 1L;
  /** The read whose records and failures this produces. */
  private final ScrapinghubReadAll<T> read;

  ScrapinghubReadAllWithFailures(ScrapinghubReadAll<T> read) {
    this.read = read;
  }

  @Override
  public ReadResult<T> expand(PCollection<String> jobKeys) {
    FailurePolicy policy = read.failurePolicy() == null ? FailurePolicy.OUTPUT : read.failurePolicy();
    return read.expandResult(jobKeys, policy, true);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder b) {
    super.populateDisplayData(b);
    read.populateDisplayData(b);
  }
}
