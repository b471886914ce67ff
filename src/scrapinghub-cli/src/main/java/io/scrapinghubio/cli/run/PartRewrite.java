package io.scrapinghubio.cli.run;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import org.apache.beam.sdk.io.Compression;

/**
 * How a resumable export's part is rewritten with only some of its records, in order: what sealing
 * the export needs of a format ({@link CommittedParts#seal}), when a runner's retry wrote records
 * twice. Lines are copied line by line; a Parquet part is read and written again record by record.
 */
@FunctionalInterface
public interface PartRewrite {
  /**
   * Writes into {@code to} the records of {@code from} whose position in it (0-based) {@code keep}
   * holds.
   *
   * @param records how many records {@code from} holds, as its {@code .ranges} file lists them
   * @return how many records were written
   */
  long rewrite(Path from, Path to, long records, BitSet keep) throws IOException;

  /** Parts of lines (JSON lines, CSV without header) compressed as {@code compression}. */
  static PartRewrite lines(Compression compression) {
    return (from, to, records, keep) -> {
      try (InputStream in = new BufferedInputStream(Channels.newInputStream(
              compression.readDecompressed(FileChannel.open(from))), 1 << 16);
          OutputStream out = new BufferedOutputStream(Channels.newOutputStream(compression.writeCompressed(
              FileChannel.open(to, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                  StandardOpenOption.WRITE))), 1 << 16)) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long kept = 0;
        for (int i = 0; i < records; i++) {
          readLine(in, line, from);
          if (keep.get(i)) {
            line.writeTo(out);
            kept++;
          }
        }
        return kept;
      }
    };
  }

  /** Reads one line, its newline included, into {@code line}. */
  private static void readLine(InputStream in, ByteArrayOutputStream line, Path part) throws IOException {
    line.reset();
    int b;
    while ((b = in.read()) != -1) {
      line.write(b);
      if (b == '\n') {
        return;
      }
    }
    throw new IOException(part + " holds fewer lines than its " + PartRuns.SUFFIX + " file lists");
  }
}
