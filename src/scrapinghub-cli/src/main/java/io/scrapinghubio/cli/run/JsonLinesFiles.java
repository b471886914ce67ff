package io.scrapinghubio.cli.run;

import io.scrapinghubio.beam.read.ScrapinghubRecord;
import io.scrapinghubio.cli.progress.CountingJsonLinesSink;
import io.scrapinghubio.cli.progress.LiveCounts;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.WriteFilesResult;
import org.apache.beam.sdk.values.PCollection;

/**
 * How every command writes records: JSON lines, each record's stored bytes as they are, in shards
 * {@code part-SSSSS-of-NNNNN.jl} of a staged {@link StagedOutput}, counted for the progress
 * display as they are written.
 */
public final class JsonLinesFiles {
  private JsonLinesFiles() {}

  /**
   * @param shards number of files; 0 lets the runner choose, which avoids a shuffle of the whole
   *     output just to fix the file count
   */
  public static WriteFilesResult<Void> write(PCollection<ScrapinghubRecord> records, StagedOutput output, int shards,
      LiveCounts counts) {
    return write(records, output, shards, counts, Compression.UNCOMPRESSED);
  }

  /**
   * As {@link #write(PCollection, StagedOutput, int, LiveCounts)}, each file compressed (its
   * name then ends {@code .jl.gz} or {@code .jl.zst}); the counts are of the lines, uncompressed.
   */
  public static WriteFilesResult<Void> write(PCollection<ScrapinghubRecord> records, StagedOutput output, int shards,
      LiveCounts counts, Compression compression) {
    return records.apply("WriteFiles", FileIO.<ScrapinghubRecord>write()
        .via(new CountingJsonLinesSink(counts.id()))
        .to(output.filesDirectory())
        .withTempDirectory(output.tempDirectory())
        .withPrefix("part")
        .withSuffix(".jl") // FileIO's naming adds the compression's own suffix
        .withCompression(compression)
        .withNumShards(shards));
  }
}
