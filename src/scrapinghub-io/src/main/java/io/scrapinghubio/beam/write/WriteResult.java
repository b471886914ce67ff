package io.scrapinghubio.beam.write;

import io.scrapinghubio.beam.failure.FailedRecord;
import io.scrapinghubio.beam.failure.FailurePolicy;

import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * What a write produces: the records it could not store, with why ({@link FailedRecord}), to
 * route to a dead-letter sink. Empty under {@link FailurePolicy#FAIL} (a bad record fails the
 * pipeline instead). A {@code POutput} rather than {@code PDone}, so more outputs can be added.
 */
public final class WriteResult implements POutput {
  static final TupleTag<FailedRecord> FAILED_RECORDS = new TupleTag<>("failedRecords") {};

  private final Pipeline pipeline;
  private final PCollection<FailedRecord> failedRecords;

  private WriteResult(Pipeline pipeline, PCollection<FailedRecord> failedRecords) {
    this.pipeline = pipeline;
    this.failedRecords = failedRecords;
  }

  static WriteResult of(Pipeline pipeline, PCollection<FailedRecord> failedRecords) {
    return new WriteResult(pipeline, failedRecords);
  }

  /**
   * Records refused before upload (over 1 MiB, no key, not JSON) or by the service (400/413), with
   * the reason.
   *
   * @return one failed record per record not stored, with its destination and reason
   */
  public PCollection<FailedRecord> getFailedRecords() {
    return failedRecords;
  }

  @Override
  public Pipeline getPipeline() {
    return pipeline;
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return Map.of(FAILED_RECORDS, failedRecords);
  }

  @Override
  public void finishSpecifyingOutput(String transformName, PInput input, PTransform<?, ?> transform) {}
}
