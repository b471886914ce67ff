package io.scrapinghubio.beam.jobs;

import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * What a job transform produces: the elements it handled ({@link #output()}). The ones it could
 * not go to its {@code withBadRecordErrorHandler}'s handler, or, without one, fail the pipeline.
 */
public final class JobsResult<T> implements POutput {
  private final Pipeline pipeline;
  private final TupleTag<T> outputTag;
  private final PCollection<T> output;

  private JobsResult(Pipeline pipeline, TupleTag<T> outputTag, PCollection<T> output) {
    this.pipeline = pipeline;
    this.outputTag = outputTag;
    this.output = output;
  }

  static <T> JobsResult<T> of(PCollection<T> output) {
    return new JobsResult<>(output.getPipeline(), new TupleTag<T>("output") {}, output);
  }

  /**
   * Elements handled.
   *
   * @return the elements handled
   */
  public PCollection<T> output() {
    return output;
  }

  /**
   * Applies {@code t} to {@link #output()}, for chaining.
   *
   * @param <O> the transform's output type
   * @param name the step's name
   * @param t the transform to apply
   * @return the transform's output
   */
  public <O extends POutput> O apply(String name, PTransform<? super PCollection<T>, O> t) {
    return output.apply(name, t);
  }

  @Override
  public Pipeline getPipeline() {
    return pipeline;
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    return Map.of(outputTag, output);
  }

  @Override
  public void finishSpecifyingOutput(String transformName, PInput input, PTransform<?, ?> transform) {}
}
