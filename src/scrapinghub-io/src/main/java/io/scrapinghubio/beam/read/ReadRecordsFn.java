package io.scrapinghubio.beam.read;

import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.splittabledofn.OffsetRangeTracker;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Reads a chunk as a splittable DoFn over its index range, for runners that split work
 * dynamically while it runs (Dataflow): opt in with {@code withDynamicSplitting()}.
 *
 * <ul>
 *   <li>{@link OffsetRangeTracker} and {@code @GetSize} (remaining records × average size) let the
 *       runner split a straggling chunk; each record index is claimed before it is emitted, so
 *       every record is emitted exactly once whatever the splits.
 *   <li>When a claim is refused (a split or a checkpoint), the reader is closed and the residual
 *       opens a new one at its first index: at most the page in hand and the read-ahead are
 *       fetched again. Dataflow splits rarely; runners that checkpoint often (the Direct runner,
 *       every 100 outputs) should use the default {@link ReadChunkFn} instead.
 * </ul>
 */
@DoFn.BoundedPerElement
final class ReadRecordsFn<T> extends RangeReadingFn<T> {
  ReadRecordsFn(RangeReader<T> reader, TupleTag<T> recordsTag, TupleTag<BadRecord> failuresTag) {
    super(reader, recordsTag, failuresTag);
  }

  @GetInitialRestriction
  public OffsetRange initialRestriction(@Element JobSlice chunk) {
    return new OffsetRange(chunk.from(), chunk.to());
  }

  @NewTracker
  public OffsetRangeTracker newTracker(@Restriction OffsetRange range) {
    return new OffsetRangeTracker(range);
  }

  @GetSize
  public double size(@Element JobSlice chunk, @Restriction OffsetRange range) {
    double avg = chunk.averageRecordBytes();
    return (range.getTo() - range.getFrom()) * (avg > 0 ? avg : 1);
  }

  @ProcessElement
  public ProcessContinuation process(
      @Element JobSlice chunk, RestrictionTracker<OffsetRange, Long> tracker, MultiOutputReceiver out) {
    OffsetRange range = tracker.currentRestriction();
    boolean[] refused = {false};
    read(chunk, range.getFrom(), range.getTo(), index -> {
      boolean claimed = tracker.tryClaim(index);
      refused[0] = !claimed;
      return claimed;
    }, out);
    if (!refused[0]) {
      tracker.tryClaim(Long.MAX_VALUE); // marks the whole range done, so the runner's checkDone passes
    }
    return ProcessContinuation.stop();
  }
}
