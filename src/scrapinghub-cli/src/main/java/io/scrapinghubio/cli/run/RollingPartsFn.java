package io.scrapinghubio.cli.run;

import io.scrapinghubio.cli.format.RecordFormat;
import io.scrapinghubio.cli.progress.WrittenCounts;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.UUID;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.transforms.DoFn;

/**
 * Writes records ({@link RecordFormat}: JSON lines, CSV, Parquet) into part files that each worker
 * closes and commits every few seconds (and at the end of each bundle), not only when the pipeline
 * completes: what a killed export had committed survives it, and the same command resumes from
 * there (see {@link CommittedParts}). Beam's file sink finalizes its files only once every record is written,
 * which is why an export that must survive a kill has a writer of its own.
 *
 * <p>A part is written under a temporary name, renamed when complete, and then committed by the
 * list of records it holds ({@link PartRuns}). Each part is a whole file of its format (a CSV
 * header row first; a Parquet footer last), so that every part reads on its own.
 */
public final class RollingPartsFn<T> extends DoFn<T, Void> {
  private static final long serialVersionUID = 1L;

  private final String directory;
  private final RecordFormat<T> format;
  private final Compression compression;
  private final String countsId;
  private final long maxBytes;
  private final long maxAgeNanos;

  private transient WrittenCounts counts;
  private transient String writerId;
  private transient int sequence;
  private transient Path tmp;
  private transient OutputStream out;
  private transient RecordFormat.RecordFile<T> file;
  private transient PartRuns runs;
  private transient long bytes;
  private transient long openedAt;

  /**
   * @param directory where the parts go
   * @param maxBytes a part is committed once it holds this many bytes of records...
   * @param maxAge ...or once it has been open this long, whichever comes first
   */
  public RollingPartsFn(Path directory, RecordFormat<T> format, Compression compression, String countsId, long maxBytes,
      Duration maxAge) {
    this.directory = directory.toString();
    this.format = format;
    this.compression = compression;
    this.countsId = countsId;
    this.maxBytes = maxBytes;
    this.maxAgeNanos = maxAge.toNanos();
  }

  @Setup
  public void setup() {
    counts = WrittenCounts.of(countsId);
    writerId = UUID.randomUUID().toString().substring(0, 8);
  }

  @ProcessElement
  public void process(@Element T record) throws IOException {
    if (out == null) {
      open();
    }
    long lineBytes = file.write(record);
    runs.add(format.jobKey(record), format.index(record));
    bytes += lineBytes;
    counts.line(lineBytes);
    if (bytes >= maxBytes || System.nanoTime() - openedAt >= maxAgeNanos) {
      commit();
    }
  }

  @FinishBundle
  public void finishBundle() throws IOException {
    if (out != null) {
      commit();
    }
    counts.showPending();
  }

  /** A part not committed is not kept: the runner retries the bundle, or the next run reads its records again. */
  @Teardown
  public void teardown() {
    if (out != null) {
      try {
        file = null;
        out.close();
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        // recovered by the next run (CommittedParts.recover removes it)
      }
      out = null;
    }
  }

  private void open() throws IOException {
    String name = String.format(java.util.Locale.ROOT, "part-%s-%05d%s%s", writerId, sequence++, format.suffix(),
        compression.getSuggestedSuffix());
    tmp = Path.of(directory).resolve(name + CommittedParts.TMP);
    out = new BufferedOutputStream(Channels.newOutputStream(compression.writeCompressed(FileChannel.open(tmp,
        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))), 1 << 16);
    runs = new PartRuns();
    file = format.open(out);
    bytes = 0;
    openedAt = System.nanoTime();
  }

  private void commit() throws IOException {
    counts.counted(0, file.finish()); // e.g. a Parquet footer: the counts stay the files' size
    file = null;
    out.close();
    out = null;
    String name = tmp.getFileName().toString();
    Path part = tmp.resolveSibling(name.substring(0, name.length() - CommittedParts.TMP.length()));
    Files.move(tmp, part, StandardCopyOption.ATOMIC_MOVE);
    PartRuns.commit(part, runs.runs());
  }
}
