package io.scrapinghubio.beam.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.splittabledofn.OffsetRangeTracker;
import org.apache.beam.sdk.transforms.splittabledofn.SplitResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Initial splits cover each job exactly, and dynamic splits of a chunk keep that true. */
class ReadSplitTest {

  private static List<OffsetRange> split(ReadConfig config, JobSlice job) {
    return SizeJobFn.chunks(new OffsetRange(0, job.count()), config.chunkSizeFor(job.averageRecordBytes()));
  }

  private static void assertExactCover(List<OffsetRange> ranges, long count) {
    long next = 0;
    for (OffsetRange r : ranges) {
      assertEquals(next, r.getFrom(), "gap or overlap at " + r);
      assertTrue(r.getTo() > r.getFrom(), "empty chunk " + r);
      next = r.getTo();
    }
    assertEquals(count, next, "chunks must end at the job's record count");
  }

  @ParameterizedTest
  @CsvSource({
    "1, 1400", "9999, 1400", "10000, 1400", "10001, 1400", "1000000, 1400", "123457, 100000", "5, 0", "70000, 5000000"
  })
  void initialSplitsCoverEachJobExactly(long count, long avgBytes) {
    ReadConfig config = ReadConfig.defaults();
    JobSlice job = new JobSlice("1/2/3", count, count * avgBytes);
    List<OffsetRange> ranges = split(config, job);
    assertExactCover(ranges, count);
    long chunk = config.chunkSizeFor(job.averageRecordBytes());
    for (OffsetRange r : ranges) {
      assertTrue(r.getTo() - r.getFrom() <= chunk, r + " larger than chunk " + chunk);
    }
  }

  @Test
  void chunksAreSizedByRecordsAndBytes() {
    ReadConfig config = ReadConfig.defaults();
    assertEquals(10_000, config.chunkSizeFor(1400)); // 10k records of 1.4 KB = 14 MB < 32 MiB
    assertEquals((32L << 20) / 100_000, config.chunkSizeFor(100_000)); // big records: bytes decide
    assertEquals(1, config.chunkSizeFor(64L << 20)); // a record bigger than a chunk: one per chunk
    ReadConfig small = config.toBuilder().setChunkItems(250).build();
    assertEquals(250, small.chunkSizeFor(1400));
    assertEquals(400, split(small, new JobSlice("1/2/3", 100_000, 140_000_000)).size());
  }

  @Test
  void manyChunksPerJobForFlink() {
    // 1M items of 1.4 KB: Flink batch parallelises only initial splits, so expect 100 of them.
    assertEquals(100, split(ReadConfig.defaults(), new JobSlice("1/2/3", 1_000_000, 1_400_000_000L)).size());
  }

  @Test
  void dynamicSplitsKeepExactCoverage() {
    // Simulates what Dataflow does: claim some records, split, then split the residual again.
    OffsetRange chunk = new OffsetRange(20_000, 30_000);
    OffsetRangeTracker t = new OffsetRangeTracker(chunk);
    for (long i = 20_000; i < 21_234; i++) {
      assertTrue(t.tryClaim(i));
    }
    SplitResult<OffsetRange> s = t.trySplit(0.5);
    OffsetRange primary = s.getPrimary();
    OffsetRange residual = s.getResidual();
    assertEquals(chunk.getFrom(), primary.getFrom());
    assertEquals(primary.getTo(), residual.getFrom());
    assertEquals(chunk.getTo(), residual.getTo());
    OffsetRangeTracker t2 = new OffsetRangeTracker(residual);
    SplitResult<OffsetRange> s2 = t2.trySplit(0.25);
    assertEquals(residual.getFrom(), s2.getPrimary().getFrom());
    assertEquals(s2.getPrimary().getTo(), s2.getResidual().getFrom());
    assertEquals(residual.getTo(), s2.getResidual().getTo());
  }

  @Test
  void sizeIsRemainingRecordsTimesAverageSize() {
    ReadRecordsFn<ScrapinghubRecord> fn = new ReadRecordsFn<>(
        new RangeReader<>(ReadConfig.defaults(), OutputFormat.records(), "t", false),
        new org.apache.beam.sdk.values.TupleTag<ScrapinghubRecord>() {}, new org.apache.beam.sdk.values.TupleTag<org.apache.beam.sdk.transforms.errorhandling.BadRecord>() {});
    JobSlice job = new JobSlice("1/2/3", 1000, 1_400_000);
    assertEquals(500 * 1400.0, fn.size(job, new OffsetRange(500, 1000)), 1e-6);
  }
}
