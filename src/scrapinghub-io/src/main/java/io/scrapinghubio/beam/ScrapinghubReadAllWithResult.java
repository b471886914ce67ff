package io.scrapinghubio.beam;

import io.scrapinghubio.beam.read.ReadResult;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollection;

/**
 * {@code ScrapinghubIO.readAll()...withResult()}: the same read of the job keys it is given,
 * producing a {@link ReadResult}: the records and the jobs read. Configure the read (its error
 * handler included) before calling {@code withResult()}.
 */
public final class ScrapinghubReadAllWithResult<T> extends PTransform<PCollection<String>, ReadResult<T>> {
  private static final long serialVersionUID = 1L;
  /** The read whose records and jobs this produces. */
  private final ScrapinghubReadAll<T> read;

  ScrapinghubReadAllWithResult(ScrapinghubReadAll<T> read) {
    this.read = read;
  }

  @Override
  public ReadResult<T> expand(PCollection<String> jobKeys) {
    return read.expandResult(jobKeys);
  }

  @Override
  public void populateDisplayData(DisplayData.Builder b) {
    super.populateDisplayData(b);
    read.populateDisplayData(b);
  }
}
