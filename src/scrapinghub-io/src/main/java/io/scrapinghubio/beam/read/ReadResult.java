package io.scrapinghubio.beam.read;

import io.scrapinghubio.beam.failure.FailedRecord;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * What {@code read().withFailureOutput()} produces: the converted records, and the records that
 * could not be converted ({@link FailedRecord} of kind {@code CONVERSION}, with the record's JSON,
 * its key, its job and the reason). Each record read is in exactly one of the two.
 */
public final class ReadResult<T> implements POutput {
  private final Pipeline pipeline;
  private final TupleTag<T> recordsTag;
  private final PCollection<T> records;
  private final TupleTag<FailedRecord> failuresTag;
  private final PCollection<FailedRecord> failures;

  private ReadResult(Pipeline pipeline, TupleTag<T> recordsTag, PCollection<T> records,
      TupleTag<FailedRecord> failuresTag, PCollection<FailedRecord> failures) {
    this.pipeline = pipeline;
    this.recordsTag = recordsTag;
    this.records = records;
    this.failuresTag = failuresTag;
    this.failures = failures;
  }

  /** {@code failures} is null only inside a read applied as a plain {@code PCollection}, which returns just the records. */
  static <T> ReadResult<T> of(Pipeline pipeline, TupleTag<T> recordsTag, PCollection<T> records,
      TupleTag<FailedRecord> failuresTag, PCollection<FailedRecord> failures) {
    return new ReadResult<>(pipeline, recordsTag, records, failuresTag, failures);
  }

  /** The records converted to the read's output type. */
  public PCollection<T> records() {
    return records;
  }

  /** The records that did not convert, with why; empty under {@code FailurePolicy.FAIL}. */
  public PCollection<FailedRecord> failures() {
    return failures;
  }

  @Override
  public Pipeline getPipeline() {
    return pipeline;
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return failures == null ? Map.of(recordsTag, records) : Map.of(recordsTag, records, failuresTag, failures);
  }

  @Override
  public void finishSpecifyingOutput(String transformName, PInput input, PTransform<?, ?> transform) {}
}
