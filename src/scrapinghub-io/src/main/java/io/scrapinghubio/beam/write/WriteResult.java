package io.scrapinghubio.beam.write;

import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * What a write produces. Records that cannot be stored are not here: they fail the pipeline, or
 * go to the write's {@code withBadRecordErrorHandler} as Beam {@code BadRecord}s, like any Beam
 * IO's. A {@code POutput} rather than {@code PDone}, so outputs can be added without changing the
 * writes' type; it holds none today.
 */
public final class WriteResult implements POutput {
  private final Pipeline pipeline;

  private WriteResult(Pipeline pipeline) {
    this.pipeline = pipeline;
  }

  static WriteResult of(Pipeline pipeline) {
    return new WriteResult(pipeline);
  }

  @Override
  public Pipeline getPipeline() {
    return pipeline;
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return Map.of();
  }

  @Override
  public void finishSpecifyingOutput(String transformName, PInput input, PTransform<?, ?> transform) {}
}
