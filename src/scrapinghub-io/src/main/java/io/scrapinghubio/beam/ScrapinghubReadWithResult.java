package io.scrapinghubio.beam;

import io.scrapinghubio.beam.read.ReadResult;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PBegin;

/**
 * {@code ScrapinghubIO.read()...withResult()}: the same read, producing a {@link ReadResult}: the
 * records and the jobs read. Configure the read (its error handler included) before calling
 * {@code withResult()}.
 */
public final class ScrapinghubReadWithResult<T> extends PTransform<PBegin, ReadResult<T>> {
  private static final long serialVersionUID = 1L;
  /** The read whose records and jobs this produces. */
  private final ScrapinghubRead<T> read;

  ScrapinghubReadWithResult(ScrapinghubRead<T> read) {
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
    return read.expandResult(input);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder b) {
    super.populateDisplayData(b);
    read.populateDisplayData(b);
  }
}
