package io.scrapinghubio.beam.jobs;

import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * What a job transform produces, RequestResponseIO style: the elements it handled
 * ({@link #output()}) and the ones it could not ({@link #failures()}, typed {@link JobFailure}s).
 */
public final class JobsResult<T> implements POutput {
  private final Pipeline pipeline;
  private final TupleTag<T> outputTag;
  private final PCollection<T> output;
  private final TupleTag<JobFailure> failureTag;
  private final PCollection<JobFailure> failures;

  private JobsResult(Pipeline pipeline, TupleTag<T> outputTag, PCollection<T> output, TupleTag<JobFailure> failureTag,
      PCollection<JobFailure> failures) {
    this.pipeline = pipeline;
    this.outputTag = outputTag;
    this.output = output;
    this.failureTag = failureTag;
    this.failures = failures;
  }

  static <T> JobsResult<T> of(PCollectionTuple t, TupleTag<T> outputTag, TupleTag<JobFailure> failureTag) {
    return new JobsResult<>(t.getPipeline(), outputTag, t.get(outputTag), failureTag, t.get(failureTag));
  }

  static <T> JobsResult<T> of(PCollection<T> output, PCollection<JobFailure> failures) {
    return new JobsResult<>(output.getPipeline(), new TupleTag<T>("output") {}, output,
        new TupleTag<JobFailure>("failures") {}, failures);
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
   * Elements not handled, with a typed error (empty when the transform fails the pipeline instead,
   * or routes them to its {@code withBadRecordErrorHandler}).
   *
   * @return one failure per element not handled
   * @deprecated route failures with the transform's {@code withBadRecordErrorHandler}, the error
   *     handler of every Beam IO; this output will go (issue 22)
   */
  @Deprecated
  public PCollection<JobFailure> failures() {
    return failures;
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
    return Map.of(outputTag, output, failureTag, failures);
  }

  @Override
  public void finishSpecifyingOutput(String transformName, PInput input, PTransform<?, ?> transform) {}
}
