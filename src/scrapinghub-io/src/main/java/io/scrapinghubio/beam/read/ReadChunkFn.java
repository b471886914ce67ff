package io.scrapinghubio.beam.read;

import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Reads each chunk (a job slice of at most {@code chunkItems} records, already spread over
 * workers by a reshuffle) from start to end in one call: the default read.
 *
 * <p>Measured against the splittable {@link ReadRecordsFn} on the runners this project is run on
 * (see benchmarks/results/export.md): the Direct runner checkpoints a splittable DoFn every 100
 * outputs or second and resumes the residual through its timer loop, which held an export of
 * 400,000 items to under 2,000 items/s, and every small bundle cost TextIO a temp file; Flink batch
 * never splits dynamically. A chunk is small enough (10,000 records, 32 MiB) that finishing it in
 * one call costs nothing in balance, and there is nothing to checkpoint or park.
 */
final class ReadChunkFn<T> extends RangeReadingFn<T> {
  ReadChunkFn(RangeReader<T> reader, TupleTag<T> recordsTag, TupleTag<BadRecord> failuresTag) {
    super(reader, recordsTag, failuresTag);
  }

  @ProcessElement
  public void process(@Element JobSlice chunk, MultiOutputReceiver out) {
    read(chunk, chunk.from(), chunk.to(), index -> true, out);
  }
}
