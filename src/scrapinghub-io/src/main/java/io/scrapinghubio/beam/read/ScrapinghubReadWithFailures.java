package io.scrapinghubio.beam.read;

import io.scrapinghubio.beam.failure.FailurePolicy;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PBegin;

/**
 * {@code ScrapinghubIO.read()...withFailureOutput()}: the same read, producing a
 * {@link ReadResult} with the records that did not convert apart from the others. Configure the
 * read before calling {@code withFailureOutput()}.
 */
public final class ScrapinghubReadWithFailures<T> extends PTransform<PBegin, ReadResult<T>> {
  private static final long serialVersionUID = 1L;
  /** The read whose records and failures this produces. */
  private final ScrapinghubRead<T> read;

  ScrapinghubReadWithFailures(ScrapinghubRead<T> read) {
    this.read = read;
  }

  /**
   * The read this wraps, e.g. for {@link ScrapinghubRead#inferSchema()}.
   *
   * @return the wrapped read
   */
  public ScrapinghubRead<T> read() {
    return read;
  }

  @Override
  public ReadResult<T> expand(PBegin input) {
    FailurePolicy policy = read.failurePolicy() == null ? FailurePolicy.OUTPUT : read.failurePolicy();
    return read.expandResult(input, policy, true);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder b) {
    super.populateDisplayData(b);
    read.populateDisplayData(b);
  }
}
