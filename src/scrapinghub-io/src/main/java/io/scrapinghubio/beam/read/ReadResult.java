package io.scrapinghubio.beam.read;

import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.annotations.Internal;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.POutput;
import org.apache.beam.sdk.values.PValue;
import org.apache.beam.sdk.values.TupleTag;

/**
 * What {@code read().withResult()} produces: the converted records, and the jobs read (a bounded
 * read: {@link #jobs()}; a continuous one: {@link #jobsReadToTheirEnd()}). Records that do not
 * convert are not here: they fail the pipeline, or go to the read's
 * {@code withBadRecordErrorHandler} as Beam {@code BadRecord}s.
 */
public final class ReadResult<T> implements POutput {
  private final Pipeline pipeline;
  private final TupleTag<T> recordsTag;
  private final PCollection<T> records;
  private final TupleTag<String> jobsTag = new TupleTag<>("jobs") {};
  private final PCollection<String> jobs;
  private final TupleTag<KV<String, Long>> jobsReadToTheirEndTag = new TupleTag<>("jobsReadToTheirEnd") {};
  private final PCollection<KV<String, Long>> jobsReadToTheirEnd;

  private ReadResult(Pipeline pipeline, TupleTag<T> recordsTag, PCollection<T> records,
      PCollection<String> jobs, PCollection<KV<String, Long>> jobsReadToTheirEnd) {
    this.pipeline = pipeline;
    this.recordsTag = recordsTag;
    this.records = records;
    this.jobs = jobs;
    this.jobsReadToTheirEnd = jobsReadToTheirEnd;
  }

  /** A bounded read's result, with the keys of the jobs it read. */
  static <T> ReadResult<T> of(Pipeline pipeline, TupleTag<T> recordsTag, PCollection<T> records, PCollection<String> jobs) {
    return new ReadResult<>(pipeline, recordsTag, records, jobs, null);
  }

  /**
   * A continuous read's result, with the jobs it read to their end and their sizes. Plumbing for
   * the continuous read ({@code beam.follow}), not API.
   *
   * @param <T> the records' type
   * @param pipeline the read's pipeline
   * @param recordsTag the tag of the records
   * @param records the records read
   * @param jobsReadToTheirEnd each job read to its end, with its number of records
   * @return the result
   */
  @Internal
  public static <T> ReadResult<T> ofFollow(Pipeline pipeline, TupleTag<T> recordsTag, PCollection<T> records,
      PCollection<KV<String, Long>> jobsReadToTheirEnd) {
    return new ReadResult<>(pipeline, recordsTag, records, null, jobsReadToTheirEnd);
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
   * For a continuous read ({@code continuously()}): each job whose read ended because the job
   * finished and every record up to its size was emitted, as its key ({@code P/S/J}) and that size
   * (the number of record indices read, {@code [0, size)}), when its last record has been emitted;
   * jobs deleted while being read are not in it. The signal {@code markConsumed} tags on. To tag
   * only once your sink has written a job's records, count them there by job and compare with this
   * size. After a restore from a checkpoint a job may be in it again.
   *
   * @return the jobs read to their end, with their sizes
   * @throws IllegalStateException for a bounded read: use {@link #jobs()}
   */
  public PCollection<KV<String, Long>> jobsReadToTheirEnd() {
    if (jobsReadToTheirEnd == null) {
      throw new IllegalStateException("a bounded read reads the jobs it lists: use jobs() for them");
    }
    return jobsReadToTheirEnd;
  }

  /**
   * The records converted to the read's output type.
   *
   * @return the converted records
   */
  public PCollection<T> records() {
    return records;
  }

  @Override
  public Pipeline getPipeline() {
    return pipeline;
  }

  @Override
  public Map<TupleTag<?>, PValue> expand() {
    Map<TupleTag<?>, PValue> out = new java.util.LinkedHashMap<>();
    out.put(recordsTag, records);
    if (jobs != null) {
      out.put(jobsTag, jobs);
    }
    if (jobsReadToTheirEnd != null) {
      out.put(jobsReadToTheirEndTag, jobsReadToTheirEnd);
    }
    return out;
  }

  @Override
  public void finishSpecifyingOutput(String transformName, PInput input, PTransform<?, ?> transform) {}
}
