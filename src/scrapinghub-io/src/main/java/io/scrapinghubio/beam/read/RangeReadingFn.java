package io.scrapinghubio.beam.read;

import java.util.function.LongPredicate;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.errorhandling.BadRecord;
import org.apache.beam.sdk.values.TupleTag;

/**
 * What the two ways of reading a chunk share: one {@link RangeReader} per DoFn instance, opened in
 * {@code @Setup} and closed in {@code @Teardown}, its traffic published at each bundle's end, and
 * its records and failures sent to the read's two outputs. The subclasses differ only in how they
 * walk a chunk's index range: whole in one call ({@link ReadChunkFn}) or claimed index by index
 * through a restriction tracker ({@link ReadRecordsFn}).
 *
 * @param <T> what each record becomes
 */
abstract class RangeReadingFn<T> extends DoFn<JobSlice, T> {
  private final RangeReader<T> reader;
  private final TupleTag<T> recordsTag;
  private final TupleTag<BadRecord> failuresTag;

  RangeReadingFn(RangeReader<T> reader, TupleTag<T> recordsTag, TupleTag<BadRecord> failuresTag) {
    this.reader = reader;
    this.recordsTag = recordsTag;
    this.failuresTag = failuresTag;
  }

  @Setup
  public final void setup() {
    reader.setup();
  }

  /**
   * Reads records {@code [from, to)} of {@code chunk} into the outputs, each index only once
   * {@code claim} accepts it; the receivers are looked up once per call, not per record.
   */
  final void read(JobSlice chunk, long from, long to, LongPredicate claim, MultiOutputReceiver out) {
    reader.read(chunk, from, to, claim, out.get(recordsTag), reader.routesFailures() ? out.get(failuresTag) : null);
  }

  @FinishBundle
  public final void finishBundle() {
    reader.publishMetrics();
  }

  @Teardown
  public final void teardown() {
    reader.teardown();
  }
}
