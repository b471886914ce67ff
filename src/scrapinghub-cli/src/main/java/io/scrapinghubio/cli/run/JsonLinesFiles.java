package io.scrapinghubio.cli.run;

import io.scrapinghubio.beam.read.ScrapinghubRecord;
import io.scrapinghubio.cli.format.JsonLines;
import io.scrapinghubio.cli.format.RecordFormat;
import io.scrapinghubio.cli.progress.CountingLinesSink;
import io.scrapinghubio.cli.progress.LiveCounts;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * How every command writes records: JSON lines, each record's stored bytes as they are (or another
 * {@link RecordFormat}, e.g. CSV or Parquet), in shards {@code part-SSSSS-of-NNNNN.jl} of a staged
 * {@link StagedOutput}, counted for the progress display as they are written.
 */
public final class JsonLinesFiles {
  /** A resumable export's worker commits its part once it holds this many bytes of lines, so that no part grows without bound. */
  private static final long PART_BYTES = 256L << 20;

  private JsonLinesFiles() {}

  /**
   * Writes {@code records} into a resumable {@link StagedOutput} as parts committed every few
   * seconds ({@link RollingPartsFn}), each worker at least every {@code commitEvery}. The read leaves
   * out what an interrupted run of the same export wrote there ({@link StagedOutput#alreadyWritten()}).
   * The files are named {@code part-<writer>-<n>.jl}; their number follows the workers and the
   * run's length.
   */
  public static <T> void writeResumable(PCollection<T> records, RecordFormat<T> format, StagedOutput output,
      LiveCounts counts, Compression compression, java.time.Duration commitEvery) {
    records.apply("WriteParts", ParDo.of(new RollingPartsFn<>(java.nio.file.Path.of(output.filesDirectory()),
        format, compression, counts.id(), PART_BYTES, commitEvery)));
  }

  /**
   * @param shards number of files; 0 lets the runner choose, which avoids a shuffle of the whole
   *     output just to fix the file count
   */
  public static WriteFilesResult<Void> write(PCollection<ScrapinghubRecord> records, StagedOutput output, int shards,
      LiveCounts counts) {
    return write(records, JsonLines.of(), output, shards, counts, Compression.UNCOMPRESSED);
  }

  /**
   * As {@link #write(PCollection, StagedOutput, int, LiveCounts)}, as {@code format} says, each file
   * compressed (its name then ends e.g. {@code .jl.gz} or {@code .csv.zst}); the counts are of the
   * lines, uncompressed.
   */
  public static <T> WriteFilesResult<Void> write(PCollection<T> records, RecordFormat<T> format, StagedOutput output,
      int shards, LiveCounts counts, Compression compression) {
    return records.apply("WriteFiles", FileIO.<T>write()
        .via(new CountingLinesSink<>(format, counts.id()))
        .to(output.filesDirectory())
        .withTempDirectory(output.tempDirectory())
        .withPrefix("part")
        .withSuffix(format.suffix()) // FileIO's naming adds the compression's own suffix
        .withCompression(compression)
        .withNumShards(shards));
  }
}
