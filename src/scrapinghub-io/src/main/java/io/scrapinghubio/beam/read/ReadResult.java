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
  private final TupleTag<String> jobsTag = new TupleTag<>("jobs") {};
  private final PCollection<String> jobs;

  private ReadResult(Pipeline pipeline, TupleTag<T> recordsTag, PCollection<T> records,
      TupleTag<FailedRecord> failuresTag, PCollection<FailedRecord> failures, PCollection<String> jobs) {
    this.pipeline = pipeline;
    this.recordsTag = recordsTag;
    this.records = records;
    this.failuresTag = failuresTag;
    this.failures = failures;
    this.jobs = jobs;
  }

  /** {@code failures} is null only inside a read applied as a plain {@code PCollection}, which returns just the records. */
  static <T> ReadResult<T> of(Pipeline pipeline, TupleTag<T> recordsTag, PCollection<T> records,
      TupleTag<FailedRecord> failuresTag, PCollection<FailedRecord> failures) {
    return new ReadResult<>(pipeline, recordsTag, records, failuresTag, failures, null);
  }

  /** A bounded read's result, with the keys of the jobs it read. */
  static <T> ReadResult<T> of(Pipeline pipeline, TupleTag<T> recordsTag, PCollection<T> records,
      TupleTag<FailedRecord> failuresTag, PCollection<FailedRecord> failures, PCollection<String> jobs) {
    return new ReadResult<>(pipeline, recordsTag, records, failuresTag, failures, jobs);
  }

  /**
   * The keys ({@code P/S/J}) of the jobs a bounded read selected and read, each once, empty jobs
   * included: what the read itself listed (or was named), not a second listing that a job
   * finishing meanwhile could change. For work that must cover exactly the jobs whose records were
   * read, such as tagging them once the records are written ({@code Wait.on}) or recording them
   * beside an export.
   *
   * @return the keys of the jobs read
   * @throws IllegalStateException for a continuous read ({@code continuously()}), whose selection
   *     grows as long as it runs: use its {@code markConsumed} instead
   */
  public PCollection<String> jobs() {
    if (jobs == null) {
      throw new IllegalStateException("a continuous read (continuously()) has no fixed set of jobs: its selection "
          + "grows as it runs; use markConsumed(tag) to tag the jobs it has read");
    }
    return jobs;
  }

  /**
   * The records converted to the read's output type.
   *
   * @return the converted records
   */
  public PCollection<T> records() {
    return records;
  }

  /**
   * The records that did not convert, with why; empty under {@code FailurePolicy.FAIL}.
   *
   * @return one failed record per record that did not convert
   */
  public PCollection<FailedRecord> failures() {
    return failures;
  }

  @Override
  public Pipeline getPipeline() {
    return pipeline;
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    Map<TupleTag<?>, PValue> out = new java.util.LinkedHashMap<>();
    out.put(recordsTag, records);
    if (failures != null) {
      out.put(failuresTag, failures);
    }
    if (jobs != null) {
      out.put(jobsTag, jobs);
    }
    return out;
  }

  @Override
  public void finishSpecifyingOutput(String transformName, PInput input, PTransform<?, ?> transform) {}
}
